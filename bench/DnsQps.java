import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;

/**
 * A bounded DNS load from the host: QUERIES questions for NAME (type A) to SERVER:53, at most
 * WINDOW in flight, over one UDP socket; prints the answered queries per second and how many
 * answers carried an address. Usage: java bench/DnsQps.java SERVER NAME QUERIES WINDOW
 */
public class DnsQps {
  public static void main(String[] args) throws Exception {
    InetAddress server = InetAddress.getByName(args[0]);
    String name = args[1];
    int queries = Integer.parseInt(args[2]);
    int window = Integer.parseInt(args[3]);
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(2000);
      byte[] reply = new byte[512];
      int sent = 0;
      int answered = 0;
      int withAddress = 0;
      long start = System.nanoTime();
      while (answered < queries) {
        while (sent < queries && sent - answered < window) {
          byte[] q = query(sent & 0xffff, name);
          s.send(new DatagramPacket(q, q.length, server, 53));
          sent++;
        }
        DatagramPacket p = new DatagramPacket(reply, reply.length);
        try {
          s.receive(p);
        } catch (SocketTimeoutException lost) {
          System.err.println("a query went unanswered; stopping at " + answered);
          break;
        }
        answered++;
        int ancount = (reply[6] & 0xff) << 8 | (reply[7] & 0xff);
        if (ancount > 0) {
          withAddress++;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "%d queries for %s answered in %.2f s: %.0f queries/s (%d with an address)%n",
          answered, name, seconds, answered / seconds, withAddress);
    }
  }

  private static byte[] query(int id, String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      byte[] b = label.getBytes(StandardCharsets.US_ASCII);
      out.write(b.length);
      out.writeBytes(b);
    }
    out.writeBytes(new byte[] {0, 0, 1, 0, 1});
    return out.toByteArray();
  }
}
