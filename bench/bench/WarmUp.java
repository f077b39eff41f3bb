package bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The compilers' share of the JVM's CPU in a round below which the JIT counts as settled. */
    static final double SETTLED_SHARE = 0.15;

    /** What runs between two warm-up rounds, outside their time (e.g. Contenders.settle). */
    interface Step {
        void run() throws Exception;
    }

    private WarmUp() {
    }

    /** The same with nothing between the rounds. */
    static Map<String, Object> untilSettled(long jvm, Contenders.Contender contender, int minRounds, int maxRounds,
            String name) throws Exception {
        return untilSettled(jvm, contender, minRounds, maxRounds, name, () -> { });
    }

    /**
     * Runs the contender with rounds -1, -2, ... until a round after the first minRounds is
     * settled, or maxRounds have run (then the results say it never settled); afterEachRound
     * runs between them, outside the round's time.
     * @param jvm the process id of the JVM that does the contender's work (the service's, or the bench's own)
     * @return each round's seconds, that JVM's CPU seconds and the compilers' share of them, and whether it settled
     */
    static Map<String, Object> untilSettled(long jvm, Contenders.Contender contender, int minRounds,
            int maxRounds, String name, Step afterEachRound) throws Exception {
        List<Double> seconds = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> compilerShare = new ArrayList<>();
        boolean settled = false;
        for (int round = 1; round <= maxRounds && !settled; round++) {
            double cpuBefore = Contenders.Cpu.seconds(jvm);
            double compilersBefore = Contenders.Cpu.compilerSeconds(jvm);
            seconds.add(contender.run(-round));
            double used = Contenders.Cpu.seconds(jvm) - cpuBefore;
            double share = used <= 0 ? 0 : (Contenders.Cpu.compilerSeconds(jvm) - compilersBefore) / used;
            cpu.add(used);
            compilerShare.add(share);
            settled = round >= minRounds && share < SETTLED_SHARE;
            System.out.printf("warm-up round %d: %s %.2f s, JVM cpu %.1f s, JIT %.0f%% of it%n", round, name,
                    seconds.get(round - 1), used, share * 100);
            afterEachRound.run();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("seconds", seconds);
        result.put("jvmCpuSeconds", cpu);
        result.put("jitShareOfJvmCpu", compilerShare);
        result.put("settled", settled);
        return result;
    }
}
