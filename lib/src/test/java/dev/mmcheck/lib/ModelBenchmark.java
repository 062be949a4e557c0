package dev.mmcheck.lib;

import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.Runner;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.profile.Profiles;
import java.nio.file.Path;

/**
 * Prints speed figures for the MM model under the checker (not a unit test): distinct states per
 * second and per-state heap for an exploration spec, with 1 and 2 threads. Usage:
 * {@code java -cp ... dev.mmcheck.lib.ModelBenchmark [SPEC] [PROFILE]}.
 */
public final class ModelBenchmark {
    private ModelBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path specPath = Path.of(args.length > 0 ? args[0] : "specs/explore/anon-all-ops-1page.mmc");
        String profile = args.length > 1 ? args[1] : "v7.0";
        Spec spec = SpecParser.parse(specPath);
        Runtime rt = Runtime.getRuntime();
        System.out.printf("%s under %s on %d cores, max heap %,d MB%n", specPath, profile, rt.availableProcessors(),
                rt.maxMemory() >> 20);
        for (int threads : new int[] {1, 2, 1, 2}) {
            System.gc();
            long before = rt.totalMemory() - rt.freeMemory();
            CheckReport r = new Runner(threads).check(spec, Profiles.named(profile).orElseThrow());
            long after = rt.totalMemory() - rt.freeMemory();
            double secs = r.elapsed().toNanos() / 1e9;
            System.out.printf("threads %d: %,d states, %,d transitions in %.2f s = %,.0f states/s, %,.0f transitions/s; "
                            + "heap after search %+,d MB (%.0f bytes/state, frontier not yet collected)%n",
                    threads, r.states(), r.transitions(), secs, r.states() / secs, r.transitions() / secs,
                    (after - before) >> 20, (double) (after - before) / r.states());
        }
    }
}
