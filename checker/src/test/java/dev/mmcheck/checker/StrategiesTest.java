package dev.mmcheck.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.checker.CheckerTest.Counts;
import dev.mmcheck.checker.ParallelSearchTest.Outcome;
import dev.mmcheck.checker.ToyModels.Grid;
import dev.mmcheck.checker.ToyModels.Hypercube;
import dev.mmcheck.checker.ToyModels.Jugs;
import dev.mmcheck.checker.ToyModels.WaterJugs;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Bitstate, random walks and swarm DFS: reproducible, never exhaustive, traces that replay. */
class StrategiesTest {

    private static final List<Property<Jugs>> JUG_PROPERTIES = List.of(
            Property.always("never 4 L", (Jugs j) -> j.b() != 4),
            Property.always("within capacity", (Jugs j) -> j.a() <= 3 && j.b() <= 5));

    @Test
    @DisplayName("Bitstate with room to spare finds all 65536 states of the 16-cube but does not claim exhaustiveness")
    void bitstateWithRoom() {
        for (int threads : new int[] {1, 2}) {
            var result = Checker.of(new Hypercube(16)).strategy(new Strategy.Bitstate(1L << 26)).threads(threads)
                    .properties(List.of(Property.always("within 16 bits", (Integer b) -> b >>> 16 == 0))).check();
            Statistics s = result.statistics();
            assertEquals(65536, s.distinctStates());
            assertEquals(Stop.COMPLETE, s.stop());
            assertFalse(s.exhaustive());
            assertEquals(0, s.fingerprintBits());
            assertTrue(s.coverageEstimate() > 0.9999, "coverage " + s.coverageEstimate());
        }
    }

    @Test
    @DisplayName("Bitstate in 2^12 bits loses states of the 16-cube, the same ones with any thread count, and says so")
    void bitstateTooSmall() {
        var checker = Checker.of(new Hypercube(16)).strategy(new Strategy.Bitstate(1 << 12));
        var one = checker.check();
        assertTrue(one.statistics().distinctStates() < 65536);
        assertTrue(one.statistics().coverageEstimate() < 0.5, "coverage " + one.statistics().coverageEstimate());
        assertTrue(one.statistics().omissionProbability() > 0.99);
        assertEquals(Outcome.of(one), Outcome.of(checker.threads(3).check()));
    }

    @Test
    @DisplayName("Random walks with one seed give the same verdicts, counts and traces with 1, 2 and 4 threads")
    void randomWalksAreReproducible() {
        var checker = Checker.of(new WaterJugs()).properties(JUG_PROPERTIES)
                .strategy(new Strategy.RandomWalks(42, 200, 30));
        var expected = Outcome.of(checker.check());
        assertEquals(expected, Outcome.of(checker.threads(2).check()));
        assertEquals(expected, Outcome.of(checker.threads(4).check()));
        var result = checker.check();
        assertEquals(PropertyResult.Status.VIOLATED, result.result("never 4 L").status());
        Path<Jugs, ToyModels.Pour> path = result.result("never 4 L").path().orElseThrow();
        assertEquals(4, path.lastState().b());
        assertEquals(path, Checker.replay(new WaterJugs(), path.initialIndex(), path.actionIndices()));
        assertFalse(result.statistics().exhaustive());
        assertTrue(Double.isNaN(result.statistics().coverageEstimate()));
        // Pinned: seed 42's 200 walks of 30 steps see 14 of the 16 states (2,000 walks see all 16).
        assertEquals(14, result.statistics().distinctStates());
    }

    @Test
    @DisplayName("Another seed gives other walks")
    void seedsDiffer() {
        var checker = Checker.of(new Hypercube(12)).strategy(new Strategy.RandomWalks(1, 5, 10));
        assertNotEquals(Counts.of(checker.check().statistics()),
                Counts.of(Checker.of(new Hypercube(12)).strategy(new Strategy.RandomWalks(2, 5, 10)).check().statistics()));
    }

    @Test
    @DisplayName("5 walks of depth 10 on the 12-cube take 50 steps, reach depth 10 and are cut 5 times")
    void randomWalkCounts() {
        var s = Checker.of(new Hypercube(12)).strategy(new Strategy.RandomWalks(1, 5, 10)).check().statistics();
        assertEquals(50, s.transitions());
        assertEquals(10, s.maxDepthReached());
        assertEquals(5, s.statesCutByDepthBound());
        assertTrue(s.distinctStates() <= 55);
    }

    @Test
    @DisplayName("One swarm run of depth 12 on the 5^3 grid visits every state: depth equals the sum of the counters")
    void swarmCoversSmallGrid() {
        var result = Checker.of(new Grid(3, 4)).strategy(new Strategy.Swarm(7, 1, 12))
                .properties(List.of(Property.always("sum at most 12", p -> Grid.sum(p) <= 12))).check();
        assertEquals(new Counts(125, 300, 12, 0, false, false, false), Counts.of(result.statistics()));
        assertEquals(PropertyResult.Status.HOLDS_WITHIN_BOUNDS, result.result("sum at most 12").status());
    }

    @Test
    @DisplayName("A swarm finds the water-jug violation with a trace that replays, the same with any thread count")
    void swarmFindsViolation() {
        var checker = Checker.of(new WaterJugs()).properties(JUG_PROPERTIES).strategy(new Strategy.Swarm(3, 8, 20));
        var result = checker.check();
        var path = result.result("never 4 L").path().orElseThrow();
        assertTrue(path.length() >= 6, "no shorter trace exists");
        assertEquals(4, path.lastState().b());
        assertEquals(Outcome.of(result), Outcome.of(checker.threads(3).check()));
        assertFalse(result.statistics().exhaustive());
    }

    @Test
    @DisplayName("Strategies reject settings that cannot work")
    void invalidStrategies() {
        assertThrows(IllegalArgumentException.class, () -> new Strategy.Bitstate(1000));
        assertThrows(IllegalArgumentException.class, () -> new Strategy.RandomWalks(1, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new Strategy.Swarm(1, 1, -1));
    }
}
