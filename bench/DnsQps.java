import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A bounded DNS load from the host: QUERIES questions for NAME (type A) to SERVER:53, at most
 * WINDOW in flight, over one UDP socket. An answer counts only when it is correct: the ID of a
 * question in flight (each answered once), a response to a standard query with NOERROR, the
 * question echoed, and A records that are all among ADDRESSES (comma-separated), at least one.
 * Prints the correct answers per second and every other outcome by kind; exits 1 when any answer
 * was wrong or any question went unanswered. Usage: java bench/DnsQps.java SERVER NAME ADDRESSES
 * QUERIES WINDOW
 */
public class DnsQps {
  public static void main(String[] args) throws Exception {
    InetAddress server = InetAddress.getByName(args[0]);
    String name = args[1];
    Set<String> expected = Set.of(args[2].split(","));
    int queries = Integer.parseInt(args[3]);
    int window = Integer.parseInt(args[4]);
    if (window > 65536) {
      throw new IllegalArgumentException("at most 65536 questions can be in flight (16-bit IDs)");
    }
    boolean[] inFlight = new boolean[65536];
    Map<String, Integer> wrong = new TreeMap<>();
    int sent = 0;
    int settled = 0; // answered (correctly or not) or given up
    int correct = 0;
    int unanswered = 0;
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(2000);
      byte[] reply = new byte[512];
      long start = System.nanoTime();
      while (settled < queries) {
        while (sent < queries && sent - settled < window) {
          int id = sent & 0xffff;
          if (inFlight[id]) {
            // Its question from 65536 queries ago never got an answer.
            inFlight[id] = false;
            unanswered++;
            settled++;
          }
          byte[] q = query(id, name);
          s.send(new DatagramPacket(q, q.length, server, 53));
          inFlight[id] = true;
          sent++;
        }
        DatagramPacket p = new DatagramPacket(reply, reply.length);
        try {
          s.receive(p);
        } catch (SocketTimeoutException lost) {
          for (int id = 0; id < inFlight.length; id++) {
            if (inFlight[id]) {
              inFlight[id] = false;
              unanswered++;
            }
          }
          System.err.println("no answer for 2 s; stopping after " + sent + " questions");
          break;
        }
        byte[] r = Arrays.copyOf(p.getData(), p.getLength());
        if (r.length < 12) {
          wrong.merge("shorter than a header", 1, Integer::sum);
          continue;
        }
        int id = u16(r, 0);
        if (!inFlight[id]) {
          wrong.merge("an ID not in flight (unknown or answered twice)", 1, Integer::sum);
          continue;
        }
        inFlight[id] = false;
        settled++;
        String problem = check(r, name, expected);
        if (problem == null) {
          correct++;
        } else {
          wrong.merge(problem, 1, Integer::sum);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "%d of %d queries for %s answered correctly (right ID, NOERROR, A %s) in %.2f s:"
              + " %.0f correct answers/s%n",
          correct, queries, name, String.join(",", expected), seconds, correct / seconds);
      int bad = wrong.values().stream().mapToInt(Integer::intValue).sum();
      if (bad > 0 || unanswered > 0 || correct < queries) {
        System.out.printf("  wrong answers: %d %s; unanswered: %d%n", bad, wrong, unanswered);
        System.exit(1);
      }
    }
  }

  /** Why {@code r} is not a correct answer to the A question for {@code name}, or null. */
  private static String check(byte[] r, String name, Set<String> expected) {
    int flags = u16(r, 2);
    if ((flags & 0x8000) == 0) {
      return "not a response";
    }
    if ((flags & 0x7800) != 0) {
      return "opcode " + ((flags >> 11) & 0xf);
    }
    if ((flags & 0xf) != 0) {
      return "rcode " + (flags & 0xf);
    }
    if (u16(r, 4) != 1) {
      return "not one question";
    }
    int answers = u16(r, 6);
    try {
      int[] at = {12};
      String asked = readName(r, at);
      if (!asked.equalsIgnoreCase(name) || u16(r, at[0]) != 1 || u16(r, at[0] + 2) != 1) {
        return "another question (" + asked + ")";
      }
      at[0] += 4;
      int addresses = 0;
      for (int i = 0; i < answers; i++) {
        readName(r, at);
        int type = u16(r, at[0]);
        int klass = u16(r, at[0] + 2);
        int length = u16(r, at[0] + 8);
        int data = at[0] + 10;
        at[0] = data + length;
        if (at[0] > r.length) {
          return "truncated";
        }
        if (type == 1 && klass == 1) {
          String a =
              (r[data] & 0xff)
                  + "."
                  + (r[data + 1] & 0xff)
                  + "."
                  + (r[data + 2] & 0xff)
                  + "."
                  + (r[data + 3] & 0xff);
          if (length != 4 || !expected.contains(a)) {
            return "address " + a;
          }
          addresses++;
        }
      }
      return addresses == 0 ? "no address" : null;
    } catch (ArrayIndexOutOfBoundsException e) {
      return "truncated";
    }
  }

  /** The name at {@code at[0]} (following compression pointers); moves {@code at[0]} past it. */
  private static String readName(byte[] r, int[] at) {
    StringBuilder b = new StringBuilder();
    int i = at[0];
    boolean jumped = false;
    for (int hops = 0; hops < 64; hops++) {
      int len = r[i] & 0xff;
      if ((len & 0xc0) == 0xc0) {
        if (!jumped) {
          at[0] = i + 2;
        }
        jumped = true;
        i = ((len & 0x3f) << 8) | (r[i + 1] & 0xff);
        continue;
      }
      if (len == 0) {
        if (!jumped) {
          at[0] = i + 1;
        }
        return b.toString();
      }
      if (b.length() > 0) {
        b.append('.');
      }
      b.append(new String(r, i + 1, len, StandardCharsets.US_ASCII));
      i += len + 1;
    }
    throw new ArrayIndexOutOfBoundsException("a name that loops");
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
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
