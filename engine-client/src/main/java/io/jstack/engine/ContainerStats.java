package io.jstack.engine;

/**
 * A container's resource use, as {@code docker stats} shows it.
 *
 * @param id the container's id
 * @param name its name, without Docker's leading {@code /}
 * @param cpuPercent its CPU use over the engine's last sampling interval, 100 for each CPU it kept
 *     busy (so up to 100 times the number of CPUs)
 * @param memoryUsage the bytes of memory it uses, without the inactive page cache the kernel may
 *     take back (as Docker's CLI counts)
 * @param memoryLimit the most it may use: its limit, or the host's memory
 * @param networkRx bytes its network interfaces received
 * @param networkTx bytes they sent
 * @param blockRead bytes it read from block devices
 * @param blockWrite bytes it wrote to them
 * @param pids how many processes and threads it has
 */
public record ContainerStats(
    String id,
    String name,
    double cpuPercent,
    long memoryUsage,
    long memoryLimit,
    long networkRx,
    long networkTx,
    long blockRead,
    long blockWrite,
    long pids) {

  /** All zeros: a container that does not run, as {@code docker stats -a} shows it. */
  public static ContainerStats idle(String id, String name) {
    return new ContainerStats(id, name, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /** Memory use in percent of its limit; 0 without a limit. */
  public double memoryPercent() {
    return memoryLimit <= 0 ? 0 : 100.0 * memoryUsage / memoryLimit;
  }
}
