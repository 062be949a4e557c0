package dev.mmcheck.lib.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.lib.Lookup;
import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.Schemas;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep of the issue: every bundled spec but the explorations, under every release on the timeline, plus a small
 * exploration at depths 3 and 4, run once for the class. Its CSV is checked row by row where the verdicts are known,
 * and in number; the JSON against its schema; the output directory for its plots and summary.
 */
class SweepTest {
    static final String SMALL_EXPLORATION = """
            spec sweep/small-exploration
            title "A small exploration whose depth the sweep varies"
            cite "SweepTest"
            profile v7.1
            processes 2
            pages 1
            setup {
              P0: mmap A anon rw
              P0: write A 0x01
            }
            ops write pin(ro,longterm) release fork reclaim
            depth 3
            check pin-coherent no-leak-across-fork
            witness reached-pinned
            """;

    private static List<Spec> specs;
    private static Sweep.Result result;
    private static String csv;
    private static long millis;

    @BeforeAll
    static void sweepTheBundledSpecsOverEveryRelease() throws Exception {
        specs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Repo.root().resolve("specs"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".mmc") && !f.toString().contains("/explore/")).sorted().toList()) {
                specs.add(SpecParser.parse(f));
            }
        }
        specs.add(SpecParser.parse("small-exploration.mmc", SMALL_EXPLORATION));
        long start = System.nanoTime();
        result = new Sweep(specs).profiles(Ranges.profiles("all")).depths(List.of(3, 4)).threads(2).run(p -> { });
        millis = (System.nanoTime() - start) / 1_000_000;
        csv = SweepCsv.render(result);
        System.out.println("SweepTest: " + result.outcomes().size() + " runs in " + millis + " ms");
    }

    /** The CSV line of a run and property up to the measurements (time_ms and peak_heap_mb vary). */
    private static String row(String spec, String release, String property) {
        List<String> found = csv.lines().filter(l -> l.startsWith(spec + "," + release + ",") && l.contains("," + property + ",")).toList();
        assertEquals(1, found.size(), spec + " " + release + " " + property + ": " + found);
        String[] f = SweepCsv.splitForTest(found.getFirst());
        return String.join(",", Arrays.copyOf(f, 14));
    }

    @Test
    void everyRunCompletesAndTheCsvHasOneRowPerRunAndProperty() {
        assertEquals(Sweep.Status.COMPLETE, result.status());
        int expected = 0;
        for (Spec s : specs) {
            int properties = (s.outcome().isPresent() ? 1 : 0) + s.checks().size() + s.witnesses().size();
            expected += properties * Profiles.ALL.size() * (s.isExploration() ? 2 : 1);
        }
        assertEquals(55, Profiles.ALL.size());
        long explorations = specs.stream().filter(Spec::isExploration).count();
        assertEquals((specs.size() + explorations) * 55, result.outcomes().size());
        List<String> lines = csv.lines().toList();
        assertEquals(expected + 1, lines.size());
        assertEquals("spec,profile,set,arch,processes,pages,depth,property,kind,verdict,states,transitions,max_depth,exhaustive,time_ms,"
                + "peak_heap_mb", lines.getFirst());
    }

    @Test
    void aReleaseThatRefusesASetupStepMakesTheRunNotApplicable() {
        // uffd-wp registers from v5.7; before, UFFDIO_REGISTER_MODE_WP is -EINVAL: the run does not apply there
        String spec = "uffd/fork-pinned-copy-keeps-wp";
        assertEquals(spec + ",v5.6,,x86_64,2,1,2,uffd-wp-store-trapped,invariant,not_applicable,0,0,0,true", row(spec, "v5.6", "uffd-wp-store-trapped"));
        assertEquals(spec + ",v5.13,,x86_64,2,1,2,uffd-wp-store-trapped,invariant,violated,3,2,2,true", row(spec, "v5.13", "uffd-wp-store-trapped"));
        assertEquals(spec + ",v5.14,,x86_64,2,1,2,uffd-wp-store-trapped,invariant,no_violation_within_bounds,3,2,2,true",
                row(spec, "v5.14", "uffd-wp-store-trapped"));
    }

    @Test
    void theCveIsViolatedOnV57AndNotOnV59() {
        assertEquals("cow/cve-2020-29374-vmsplice-child,v5.7,,x86_64,2,1,3,forbidden P1:pipe == 0xff,outcome,violated,7,7,3,true",
                row("cow/cve-2020-29374-vmsplice-child", "v5.7", "forbidden P1:pipe == 0xff"));
        assertEquals("cow/cve-2020-29374-vmsplice-child,v5.7,,x86_64,2,1,3,no-leak-across-fork,invariant,violated,7,7,3,true",
                row("cow/cve-2020-29374-vmsplice-child", "v5.7", "no-leak-across-fork"));
        assertEquals("cow/cve-2020-29374-vmsplice-child,v5.9,,x86_64,2,1,3,forbidden P1:pipe == 0xff,outcome,"
                + "no_violation_within_bounds,6,7,3,true", row("cow/cve-2020-29374-vmsplice-child", "v5.9", "forbidden P1:pipe == 0xff"));
        assertEquals("cow/cve-2020-29374-vmsplice-child,v5.9,,x86_64,2,1,3,no-leak-across-fork,invariant,no_violation_within_bounds,"
                + "6,7,3,true", row("cow/cve-2020-29374-vmsplice-child", "v5.9", "no-leak-across-fork"));
    }

    @Test
    void theStaleReadOnlyPinAcrossSwapIsViolatedOnV59AndV510Only() {
        for (Profile p : Profiles.ALL) {
            String verdict = row("gup/ro-pin-swap-out-in", p.name(), "pin-coherent").split(",")[9];
            boolean open = p.name().equals("v5.9") || p.name().equals("v5.10");
            assertEquals(open ? "violated" : "no_violation_within_bounds", verdict, p.name());
        }
        assertEquals("gup/ro-pin-swap-out-in,v5.10,,x86_64,1,1,4,pin-coherent,invariant,violated,5,4,4,true",
                row("gup/ro-pin-swap-out-in", "v5.10", "pin-coherent"));
        assertEquals("gup/ro-pin-swap-out-in,v5.11,,x86_64,1,1,4,pin-coherent,invariant,no_violation_within_bounds,5,4,4,true",
                row("gup/ro-pin-swap-out-in", "v5.11", "pin-coherent"));
    }

    @Test
    void theExplorationRunsAtBothDepthsAndTheLitmusSpecsAtTheirOwn() {
        List<String> small = csv.lines().filter(l -> l.startsWith("sweep/small-exploration,v7.1,")).toList();
        assertEquals(List.of(
                "sweep/small-exploration,v7.1,,x86_64,2,1,3,pin-coherent,invariant,no_violation_within_bounds,49,57,3,false",
                "sweep/small-exploration,v7.1,,x86_64,2,1,3,no-leak-across-fork,invariant,no_violation_within_bounds,49,57,3,false",
                "sweep/small-exploration,v7.1,,x86_64,2,1,3,reached-pinned,witness,reached,49,57,3,false",
                "sweep/small-exploration,v7.1,,x86_64,2,1,4,pin-coherent,invariant,no_violation_within_bounds,136,235,4,false",
                "sweep/small-exploration,v7.1,,x86_64,2,1,4,no-leak-across-fork,invariant,no_violation_within_bounds,136,235,4,false",
                "sweep/small-exploration,v7.1,,x86_64,2,1,4,reached-pinned,witness,reached,136,235,4,false"),
                small.stream().map(l -> String.join(",", Arrays.copyOf(SweepCsv.splitForTest(l), 14))).toList());
        assertTrue(csv.lines().noneMatch(l -> l.startsWith("cow/cve-2020-29374-vmsplice-child,") && !l.contains(",2,1,3,")));
    }

    @Test
    void theJsonIsValidUnderItsSchemaWhichHasTeeth() {
        assertEquals(List.of(), Schemas.errors("sweep", SweepJson.render(result)));
        assertTrue(!Schemas.errors("sweep", "{\"schema\": \"mmcheck-sweep/1\", \"tool\": \"mmcheck 0\", \"status\": \"complete\", "
                + "\"dimensions\": {}, \"runs\": [{\"spec\": \"x\"}]}").isEmpty());
    }

    @Test
    void theVerdictMatrixSaysWhenEachBugOpenedAndClosed() {
        VerdictMatrix m = VerdictMatrix.of(result);
        VerdictMatrix.Line line = m.lines().stream().filter(l -> l.row().equals("gup/ro-pin-swap-out-in") && l.property().equals("pin-coherent"))
                .findFirst().orElseThrow();
        assertEquals("no violation within bounds v4.8..v5.8; VIOLATED v5.9..v5.10; no violation within bounds v5.11..v7.1",
                line.ranges(m.releases()));
    }

    @Test
    void theOutputDirectoryHasTheCsvJsonPlotsAndSummary(@TempDir Path dir) throws Exception {
        List<Path> files = SweepHtml.write(result, dir);
        assertEquals(csv, Files.readString(dir.resolve("sweep.csv")));
        assertTrue(files.contains(dir.resolve("verdicts-pin-coherent.png")), files.toString());
        assertTrue(files.contains(dir.resolve("states-by-depth.svg")), files.toString());
        assertTrue(files.contains(dir.resolve("time-per-run.png")), files.toString());
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            if (f.toString().endsWith(".png")) {
                assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4), f.toString());
            } else if (f.toString().endsWith(".svg")) {
                String svg = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(svg.contains("<svg ") && svg.contains("</svg"), f.toString());
            }
        }
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("<img src=\"verdicts-pin-coherent.png\""), html);
        assertTrue(html.contains("<td>gup/ro-pin-swap-out-in</td><td>pin-coherent</td>"), html);
    }

    @Test
    void resultsDoNotDependOnThePool() throws Exception {
        List<Spec> few = specs.subList(0, 4);
        List<Profile> releases = Ranges.profiles("v5.7..v5.11");
        String one = SweepCsv.render(new Sweep(few).profiles(releases).threads(1).run(p -> { }));
        String three = SweepCsv.render(new Sweep(few).profiles(releases).threads(3).run(p -> { }));
        assertEquals(withoutMeasurements(one), withoutMeasurements(three));
    }

    private static List<String> withoutMeasurements(String csv) {
        return csv.lines().map(l -> String.join(",", Arrays.copyOf(SweepCsv.splitForTest(l), 14))).toList();
    }

    @Test
    void releaseListsAndRangesSayWhatIsWrong() {
        assertEquals(List.of("v5.7", "v5.8", "v5.9", "v6.1"), Ranges.profiles("v5.7..v5.9,v6.1").stream().map(Profile::name).toList());
        assertEquals(55, Ranges.profiles("all").size());
        assertEquals("unknown release 'v9.1'; expected v4.8..v7.1",
                assertThrows(Lookup.UnknownName.class, () -> Ranges.profiles("v5.7..v9.1")).getMessage());
        assertEquals("'v6.1..v5.7' is an empty range: v6.1 is after v5.7",
                assertThrows(Lookup.UnknownName.class, () -> Ranges.profiles("v6.1..v5.7")).getMessage());
        assertEquals(List.of(3, 4, 5, 7), Ranges.ints("3..5,7", 1, 10));
        assertEquals("'0' is not a number in 1..4", assertThrows(Lookup.UnknownName.class, () -> Ranges.ints("0..2", 1, 4)).getMessage());
    }
}
