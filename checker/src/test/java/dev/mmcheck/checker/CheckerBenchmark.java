package dev.mmcheck.checker;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures search speed and memory on a large toy model; a program, not a unit test. Run from the repository root:
 *
 * <pre>
 * mvn -B -q -f checker/pom.xml test-compile
 * $JDK21/bin/java -cp checker/target/classes:checker/target/test-classes dev.mmcheck.checker.CheckerBenchmark [n k]
 * </pre>
 *
 * The model has n counters from 0 to k that can each be incremented or decremented: (k+1)^n states, 2n actions in
 * interior states (default n = 5, k = 19: 3.2 million states, 30.4 million transitions).
 */
public final class CheckerBenchmark {

    /** States are int arrays; action 2i increments counter i, action 2i+1 decrements it. */
    record Counters(int n, int k) implements Model<int[], Integer> {
        @Override
        public List<int[]> initialStates() {
            return List.of(new int[n]);
        }

        @Override
        public void actions(int[] counters, List<Integer> out) {
            for (int i = 0; i < n; i++) {
                if (counters[i] < k) {
                    out.add(2 * i);
                }
                if (counters[i] > 0) {
                    out.add(2 * i + 1);
                }
            }
        }

        @Override
        public int[] next(int[] counters, Integer action) {
            int[] next = counters.clone();
            next[action / 2] += action % 2 == 0 ? 1 : -1;
            return next;
        }

        @Override
        public void encode(int[] counters, StateEncoder out) {
            for (int c : counters) {
                out.putInt(c);
            }
        }
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 19;
        Counters model = new Counters(n, k);
        var checker = Checker.of(model).properties(List.of(
                Property.always("sum within bound", (int[] c) -> Arrays.stream(c).sum() <= n * k)));
        System.out.printf(Locale.ROOT, "model: %d counters 0..%d, %d cores, max heap %d MiB%n", n, k,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        checker.threads(2).check(); // warm-up, so both timed runs use compiled code
        for (int threads : new int[] {1, 2}) {
            Statistics s = checker.threads(threads).check().statistics();
            double seconds = s.elapsed().toNanos() / 1e9;
            System.out.printf(Locale.ROOT,
                    "threads %d: %,d states, %,d transitions in %.2f s = %,.0f states/s, %,.0f transitions/s%n",
                    threads, s.distinctStates(), s.transitions(), seconds, s.distinctStates() / seconds,
                    s.transitions() / seconds);
        }

        // Memory: a separate run that collects garbage after every level, while the visited set is alive.
        long before = usedAfterGc();
        long[] peak = {0};
        long[] last = {0};
        Statistics s = checker.threads(1).progress(level -> {
            long used = usedAfterGc() - before;
            peak[0] = Math.max(peak[0], used);
            last[0] = used;
        }).check().statistics();
        System.out.printf(Locale.ROOT, "memory: %.1f bytes per visited state after the last level, "
                        + "%.1f at the peak level (frontier included), %,d states%n",
                (double) last[0] / s.distinctStates(), (double) peak[0] / s.distinctStates(), s.distinctStates());
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
