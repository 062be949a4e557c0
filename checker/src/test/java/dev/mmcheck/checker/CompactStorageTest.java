package dev.mmcheck.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.checker.CheckerTest.Counts;
import dev.mmcheck.checker.ParallelSearchTest.Outcome;
import dev.mmcheck.checker.ToyModels.DirectedGraph;
import dev.mmcheck.checker.ToyModels.Grid;
import dev.mmcheck.checker.ToyModels.Hypercube;
import dev.mmcheck.checker.ToyModels.Jugs;
import dev.mmcheck.checker.ToyModels.Opaque;
import dev.mmcheck.checker.ToyModels.WaterJugs;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packed frontier, its spill to disk, 128-bit fingerprints and the first-violation stop. */
class CompactStorageTest {

    private static final List<Property<Integer>> CUBE_PROPERTIES = List.of(
            Property.always("at most 8 bits", (Integer b) -> Integer.bitCount(b) <= 8),
            Property.sometimes("low byte set", (Integer b) -> b == 0xFF),
            Property.always("within 16 bits", (Integer b) -> b >>> 16 == 0));

    @Test
    @DisplayName("A packed frontier, an object frontier and a model without decode give identical results")
    void packedAndObjectFrontiersAgree() {
        var packed = Checker.of(new Hypercube(16)).properties(CUBE_PROPERTIES);
        var expected = Outcome.of(packed.check());
        for (int threads : new int[] {1, 2, 4}) {
            assertEquals(expected, Outcome.of(packed.threads(threads).check()));
            assertEquals(expected, Outcome.of(packed.packedFrontier(false).threads(threads).check()));
            assertEquals(expected, Outcome.of(Checker.of(new Opaque<>(new Hypercube(16)))
                    .properties(CUBE_PROPERTIES).threads(threads).check()));
        }
    }

    @Test
    @DisplayName("A frontier spilled to disk gives the same results, and its files are deleted after the search")
    void spilledFrontier(@TempDir java.nio.file.Path dir) throws IOException {
        var inMemory = Checker.of(new Hypercube(16)).properties(CUBE_PROPERTIES);
        List<Long> onDisk = new ArrayList<>();
        var spilled = inMemory.frontierMemory(1, dir).progress(s -> onDisk.add(s.frontierBytesOnDisk()));
        for (int threads : new int[] {1, 3}) {
            assertEquals(Outcome.of(inMemory.threads(threads).check()), Outcome.of(spilled.threads(threads).check()));
        }
        assertTrue(onDisk.stream().anyMatch(b -> b > 0), "some frontier went to disk");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    @DisplayName("128-bit fingerprints give the same counts and traces, and report 128 bits and n^2/2^129")
    void wideFingerprints() {
        var narrow = Checker.of(new Hypercube(16)).properties(CUBE_PROPERTIES).check();
        var wide = Checker.of(new Hypercube(16)).properties(CUBE_PROPERTIES).fingerprintBits(128).threads(2).check();
        assertEquals(Outcome.of(narrow), Outcome.of(wide));
        assertEquals(64, narrow.statistics().fingerprintBits());
        assertEquals(128, wide.statistics().fingerprintBits());
        assertEquals(65536.0 * 65536 / Math.pow(2, 65), narrow.statistics().omissionProbability(), 1e-25);
        assertEquals(65536.0 * 65536 / Math.pow(2, 129), wide.statistics().omissionProbability(), 1e-45);
        assertEquals(1.0, narrow.statistics().coverageEstimate());
    }

    @Test
    @DisplayName("Each property is evaluated once per distinct state, not once per successor, with any thread count")
    void propertiesEvaluatedOncePerNewState() {
        for (int threads : new int[] {1, 2, 4}) {
            AtomicLong evaluations = new AtomicLong();
            var result = Checker.of(new Hypercube(16)).threads(threads)
                    .properties(List.of(Property.always("counted", (Integer b) -> {
                        evaluations.incrementAndGet();
                        return true;
                    }))).check();
            // 16 * 65536 transitions, but 65536 distinct states.
            assertEquals(65536, result.statistics().distinctStates());
            assertEquals(65536, evaluations.get());
        }
    }

    @Test
    @DisplayName("stopAtFirstViolation ends at the first violating state, keeps its shortest trace, leaves the rest open")
    void stopAtFirstViolation() {
        var checker = Checker.of(new Grid(3, 4)).properties(List.of(
                Property.always("sum below 2", p -> Grid.sum(p) < 2),
                Property.always("sum at most 12", p -> Grid.sum(p) <= 12)));
        var full = checker.check();
        assertEquals(new Counts(125, 300, 12, 0, false, false, true), Counts.of(full.statistics()));
        for (int threads : new int[] {1, 2}) {
            var first = checker.stopAtFirstViolation(true).threads(threads).check();
            assertEquals(Stop.FIRST_VIOLATION, first.statistics().stop());
            assertTrue(first.statistics().stop().incomplete());
            // (2,0,0) is state 4 (ids 0..4), found expanding (1,0,0): transitions 3 + 3.
            assertEquals(new Counts(5, 6, 2, 0, false, false, false), Counts.of(first.statistics()));
            assertEquals(full.result("sum below 2"), first.result("sum below 2"));
            assertEquals(List.of(0, 0), first.result("sum below 2").path().orElseThrow().actionIndices());
            assertEquals(PropertyResult.Status.HOLDS_WITHIN_BOUNDS, first.result("sum at most 12").status());
        }
    }

    @Test
    @DisplayName("A SOMETIMES property reached first does not stop a first-violation search; a violation then does")
    void stopAtFirstViolationIgnoresWitnesses() {
        var result = Checker.of(new WaterJugs()).stopAtFirstViolation(true).properties(List.of(
                Property.sometimes("3 L in A", (Jugs j) -> j.a() == 3),
                Property.always("never 4 L", (Jugs j) -> j.b() != 4),
                Property.always("within capacity", (Jugs j) -> j.a() <= 3 && j.b() <= 5))).check();
        assertEquals(PropertyResult.Status.REACHED, result.result("3 L in A").status());
        assertEquals(6, result.result("never 4 L").path().orElseThrow().length());
        assertEquals(Stop.FIRST_VIOLATION, result.statistics().stop());
        assertEquals(new Counts(14, 42, 6, 0, false, false, false), Counts.of(result.statistics()));
    }

    @Test
    @DisplayName("A trace through action indices of 255 and more replays exactly (parent links widen)")
    void wideActionIndices() {
        List<List<Integer>> edges = new ArrayList<>();
        edges.add(IntStream.range(0, 300).map(i -> i == 299 ? 1 : 0).boxed().toList());
        edges.add(List.of(2));
        edges.add(List.of());
        var result = Checker.of(new DirectedGraph(edges, List.of(0)))
                .properties(List.of(Property.always("not node 2", (Integer n) -> n != 2))).check();
        assertEquals(List.of(299, 0), result.result("not node 2").path().orElseThrow().actionIndices());
    }
}
