package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Unmeasured rounds of a contender until the JIT of the JVM doing its work has settled, as in a
 * service that has been running for a while. On 2 cores HotSpot's compilers (one C1, one C2
 * thread) take most of a core for the first minute or two after the service starts, working
 * through Camel, H2, the AWS SDK, Jetty and S3Proxy; measured then, that is counted as a job's
 * cost. A round counts as settled when the compiler threads used less than
 * {@link #SETTLED_SHARE} of that JVM's CPU during it. Every warm-up round's time and CPU are kept
 * in the results: the first one is the cold start.
 */
final class WarmUp {

    /** The compilers' share of the service's CPU in a round below which the JIT counts as settled. */
    static final double SETTLED_SHARE = 0.15;

    private WarmUp() {
    }

    /**
     * Runs the contender with rounds -1, -2, ... until a round after the first minRounds is
     * settled, or maxRounds have run (then the results say it never settled); afterEachRound
     * runs between them, outside the round's time.
     * @param jvm the process id of the JVM that does the contender's work (the service's, or the bench's own)
     * @return each round's seconds, that JVM's CPU seconds and the compilers' share of them, and whether it settled
     */
    static Map<String, Object> untilSettled(long jvm, Contenders.Contender contender, int minRounds,
            int maxRounds, String name, Callable<?> afterEachRound) throws Exception {
        List<Double> seconds = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> compilerShare = new ArrayList<>();
        boolean settled = false;
        for (int round = 1; round <= maxRounds && !settled; round++) {
            double cpuBefore = cpuSeconds(jvm);
            double compilersBefore = compilerCpuSeconds(jvm);
            seconds.add(contender.run(-round));
            double used = cpuSeconds(jvm) - cpuBefore;
            double share = used <= 0 ? 0 : (compilerCpuSeconds(jvm) - compilersBefore) / used;
            cpu.add(used);
            compilerShare.add(share);
            settled = round >= minRounds && share < SETTLED_SHARE;
            System.out.printf("warm-up round %d: %s %.2f s, JVM cpu %.1f s, JIT %.0f%% of it%n", round, name,
                    seconds.get(round - 1), used, share * 100);
            afterEachRound.call();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("seconds", seconds);
        result.put("jvmCpuSeconds", cpu);
        result.put("jitShareOfJvmCpu", compilerShare);
        result.put("settled", settled);
        return result;
    }

    /** CPU seconds (user and system) a process has used so far. */
    static double cpuSeconds(long pid) throws IOException {
        String[] stat = Contenders.Cpu.statFields(Path.of("/proc/" + pid + "/stat"));
        return Contenders.Cpu.ticks(stat, 13) + Contenders.Cpu.ticks(stat, 14);
    }

    /**
     * CPU seconds a JVM's JIT compilers have used so far: HotSpot's threads named
     * "C1 CompilerThread<n>" and "C2 CompilerThread<n>" (cut to 15 characters in /proc).
     */
    static double compilerCpuSeconds(long pid) throws IOException {
        double seconds = 0;
        List<Path> threads;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            threads = tasks.toList();
        }
        for (Path thread : threads) {
            try {
                String name = Files.readString(thread.resolve("comm"));
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    String[] stat = Contenders.Cpu.statFields(thread.resolve("stat"));
                    seconds += Contenders.Cpu.ticks(stat, 13) + Contenders.Cpu.ticks(stat, 14);
                }
            } catch (IOException ended) {
                // a thread that ended meanwhile (no such file, or ESRCH): a compiler thread HotSpot
                // stopped takes its time with it, so a round's share can come out a little low
            }
        }
        return seconds;
    }
}
