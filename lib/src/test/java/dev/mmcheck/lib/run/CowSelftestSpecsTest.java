package dev.mmcheck.lib.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmcheck.lib.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * specs/cow-selftest/: cow.c's 14 anonymous tests on its 11 backings and its 4 THP collapse tests.
 *
 * <p>From v6.2, the first release that ships cow.c, the kernel's own expectation is the oracle: every test passes
 * except the four hugetlb vmsplice() tests, which cow.c flags as expected failures. On older releases, which cow.c
 * does not cover, the verdicts are pinned in {@code cow-selftest-verdicts.txt} (one line per violated outcome, with the
 * length of its shortest trace) so that a model change shows up as a diff; the closing notes and the specs' headers
 * say which fixes close which lines. Regenerate with {@code -Dmmcheck.regenerate=true} and review the diff.
 */
class CowSelftestSpecsTest {
    /** Releases from cow.c's first (v6.2) on, one per era of the rules that matter here. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v6.2", "v6.5", "v6.9", "v6.11", "v6.13", "v6.15", "v6.18", "v7.1"})
    void fromV62EveryTestPassesExceptTheHugetlbVmspliceOnesAsCowCExpects(String release) throws Exception {
        List<String> expected = List.of("hugetlb/03-vmsplice-in-child", "hugetlb/04-vmsplice-in-child-mprotect",
                "hugetlb/05-vmsplice-before-fork", "hugetlb/06-vmsplice-after-fork");
        List<String> failing = new ArrayList<>();
        for (Path spec : specs()) {
            CheckReport r = Signatures.run(Repo.root().relativize(spec).toString(), release, 1);
            PropertyReport outcome = r.properties().get(0);
            if (outcome.verdict() != Verdict.NO_VIOLATION_WITHIN_BOUNDS) failing.add(name(spec));
        }
        assertEquals(expected, failing);
    }

    /** Before v6.2: the pinned verdicts (spec, release, violated properties and trace lengths). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v4.8", "v5.7", "v5.8", "v5.9", "v5.12", "v5.18", "v5.19"})
    void beforeV62TheVerdictsArePinned(String release) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Path spec : specs()) {
            CheckReport r = Signatures.run(Repo.root().relativize(spec).toString(), release, 1);
            List<String> violated = new ArrayList<>();
            for (PropertyReport p : r.properties()) {
                if (p.verdict() == Verdict.VIOLATED) violated.add(p.name() + p.trace().map(t -> "(" + t.length() + ")").orElse(""));
            }
            if (!violated.isEmpty()) lines.add(release + " " + name(spec) + ": " + String.join("; ", violated));
        }
        Path golden = Repo.root().resolve("lib/src/test/resources/cow-selftest-verdicts.txt");
        List<String> pinned = Files.readAllLines(golden).stream().filter(l -> l.startsWith(release + " ")).toList();
        if (Boolean.getBoolean("mmcheck.regenerate")) {
            List<String> others = new ArrayList<>(Files.readAllLines(golden).stream().filter(l -> !l.startsWith(release + " ")).toList());
            others.addAll(lines);
            others.sort(null);
            Files.write(golden, others);
            return;
        }
        assertEquals(String.join("\n", pinned), String.join("\n", lines));
    }

    private static List<Path> specs() throws IOException {
        try (Stream<Path> s = Files.walk(Repo.root().resolve("specs/cow-selftest"))) {
            return s.filter(p -> p.toString().endsWith(".mmc")).sorted().toList();
        }
    }

    private static String name(Path spec) {
        String s = spec.toString();
        return s.substring(s.indexOf("cow-selftest/") + "cow-selftest/".length(), s.length() - ".mmc".length());
    }
}
