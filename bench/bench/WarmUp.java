package bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Unmeasured rounds of the service until its JIT has settled, as in a service that has been
 * running for a while. On 2 cores HotSpot's compilers (one C1, one C2 thread) take most of a core
 * for the first minute or two after start, working through Camel, H2, the AWS SDK, Jetty and
 * S3Proxy; measured then, that is counted as a job's cost. A round counts as settled when the
 * compiler threads used less than {@link #SETTLED_SHARE} of the service's CPU during it. Every
 * warm-up round's time and CPU are kept in the results: the first one is the cold start.
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
     * @return each round's seconds, the service's CPU seconds and the compilers' share of them, and whether it settled
     */
    static Map<String, Object> untilSettled(ServiceUnderTest service, Contenders.Contender contender, int minRounds,
            int maxRounds, String name, Callable<?> afterEachRound) throws Exception {
        List<Double> seconds = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> compilerShare = new ArrayList<>();
        boolean settled = false;
        for (int round = 1; round <= maxRounds && !settled; round++) {
            double cpuBefore = service.cpuSeconds();
            double compilersBefore = service.compilerCpuSeconds();
            seconds.add(contender.run(-round));
            double used = service.cpuSeconds() - cpuBefore;
            double share = used <= 0 ? 0 : (service.compilerCpuSeconds() - compilersBefore) / used;
            cpu.add(used);
            compilerShare.add(share);
            settled = round >= minRounds && share < SETTLED_SHARE;
            System.out.printf("warm-up round %d: %s %.2f s, service cpu %.1f s, JIT %.0f%% of it%n", round, name,
                    seconds.get(round - 1), used, share * 100);
            afterEachRound.call();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("seconds", seconds);
        result.put("serviceCpuSeconds", cpu);
        result.put("jitShareOfServiceCpu", compilerShare);
        result.put("settled", settled);
        return result;
    }
}
