package dev.mmcheck.cli.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The long fuzz campaign: {@code FuzzCampaign SPECS COUNTEREXAMPLES [FIRST-SEED]} runs that many generated cases
 * through the command line in this JVM and prints, per class, how many were refused (exit 2), accepted (0, 1, 4) and
 * how many broke the oracle (exit 3, a stack trace, an unlocated message, or a silent acceptance), with the seed of
 * each broken case. Run it with scripts/fuzz-campaign.
 */
public final class FuzzCampaign {
    private FuzzCampaign() {
    }

    public static void main(String[] args) throws Exception {
        int nSpecs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int nCx = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        long first = args.length > 2 ? Long.parseLong(args[2]) : 1;
        List<String> specs = Fuzz.seeds("specs", ".mmc");
        List<String> cxs = Fuzz.seeds("counterexamples", ".json");
        long start = System.nanoTime();
        int broken = run("spec", nSpecs, first, specs, true) + run("counterexample", nCx, first, cxs, false);
        System.out.printf("%d spec cases and %d counterexample cases in %.1f s; %d broke the oracle%n", nSpecs, nCx,
                (System.nanoTime() - start) / 1e9, broken);
        System.exit(broken == 0 ? 0 : 1);
    }

    private static int run(String what, int n, long first, List<String> seeds, boolean spec) throws Exception {
        Map<String, int[]> table = new TreeMap<>(); // kind -> refused, accepted, broken
        int broken = 0;
        Path file = Files.createTempFile("fuzz-", spec ? ".mmc" : ".json");
        for (long seed = first; seed < first + n; seed++) {
            Fuzz.Case c = spec ? Fuzz.spec(seed, seeds) : Fuzz.counterexample(seed, seeds);
            Files.write(file, c.bytes());
            Fuzz.Outcome o = spec ? Fuzz.check(file) : Fuzz.replay(file);
            List<String> problems = Fuzz.problems(c, file, o);
            int[] row = table.computeIfAbsent(c.kind(), k -> new int[3]);
            if (!problems.isEmpty()) {
                row[2]++;
                broken++;
                System.out.println(what + " seed " + seed + " (" + c.kind() + "): " + problems);
            } else if (o.exit() == 2) {
                row[0]++;
            } else {
                row[1]++;
            }
        }
        Files.delete(file);
        System.out.printf("%-15s %-22s %8s %8s %8s%n", what, "class", "refused", "accepted", "broken");
        int[] total = new int[3];
        for (Map.Entry<String, int[]> e : table.entrySet()) {
            int[] r = e.getValue();
            System.out.printf("%-15s %-22s %8d %8d %8d%n", "", e.getKey(), r[0], r[1], r[2]);
            for (int i = 0; i < 3; i++) total[i] += r[i];
        }
        System.out.printf("%-15s %-22s %8d %8d %8d%n", "", "all", total[0], total[1], total[2]);
        return broken;
    }
}
