package dev.mmcheck.checker;

import static dev.mmcheck.checker.PropertyResult.Status.HOLDS_WITHIN_BOUNDS;
import static dev.mmcheck.checker.PropertyResult.Status.NOT_REACHED_WITHIN_BOUNDS;
import static dev.mmcheck.checker.PropertyResult.Status.REACHED;
import static dev.mmcheck.checker.PropertyResult.Status.VIOLATED;
import static dev.mmcheck.checker.ToyModels.Pour.B_TO_A;
import static dev.mmcheck.checker.ToyModels.Pour.EMPTY_A;
import static dev.mmcheck.checker.ToyModels.Pour.FILL_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.checker.ToyModels.Grid;
import dev.mmcheck.checker.ToyModels.Jugs;
import dev.mmcheck.checker.ToyModels.Pour;
import dev.mmcheck.checker.ToyModels.WaterJugs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CheckerTest {

    /** The counts of a run, everything but the elapsed time. */
    record Counts(long distinct, long transitions, int maxDepth, long cut, boolean boundHit, boolean early,
                  boolean exhaustive) {
        static Counts of(Statistics s) {
            return new Counts(s.distinctStates(), s.transitions(), s.maxDepthReached(), s.statesCutByDepthBound(),
                    s.stateBoundHit(), s.stoppedEarly(), s.exhaustive());
        }
    }

    private static final List<Jugs> JUG_TRACE = List.of(new Jugs(0, 0), new Jugs(0, 5), new Jugs(3, 2),
            new Jugs(0, 2), new Jugs(2, 0), new Jugs(2, 5), new Jugs(3, 4));
    private static final List<Pour> JUG_ACTIONS = List.of(FILL_B, B_TO_A, EMPTY_A, B_TO_A, FILL_B, B_TO_A);
    /** Positions of JUG_ACTIONS among the enabled actions (enum order, only those that change the jugs). */
    private static final List<Integer> JUG_ACTION_INDICES = List.of(1, 2, 1, 3, 1, 3);

    @Test
    @DisplayName("A grid of 3 counters up to 4 has 5^3 = 125 states, 3*4*5^2 = 300 transitions and depth 12")
    void gridCountsEveryPoint() {
        var result = Checker.of(new Grid(3, 4))
                .properties(List.of(Property.always("sum at most 12", p -> Grid.sum(p) <= 12)))
                .check();
        assertEquals(new Counts(125, 300, 12, 0, false, false, true), Counts.of(result.statistics()));
        assertEquals(HOLDS_WITHIN_BOUNDS, result.result("sum at most 12").status());
        assertEquals(Optional.empty(), result.result("sum at most 12").path());
    }

    @Test
    @DisplayName("The water-jug puzzle reaches 4 L in exactly 6 steps: fill B, B->A, empty A, B->A, fill B, B->A")
    void waterJugWitnessIsTheShortestTraceInBreadthFirstOrder() {
        var result = Checker.of(new WaterJugs())
                .properties(List.of(Property.sometimes("4 L in a jug", (Jugs j) -> j.a() == 4 || j.b() == 4)))
                .check();
        var verdict = result.result("4 L in a jug");
        assertEquals(REACHED, verdict.status());
        Path<Jugs, Pour> path = verdict.path().orElseThrow();
        assertEquals(0, path.initialIndex());
        assertEquals(JUG_TRACE, path.states());
        assertEquals(JUG_ACTIONS, path.actions());
        assertEquals(JUG_ACTION_INDICES, path.actionIndices());
        // Worked out by hand: (3,4) is state 13 of the BFS, found while expanding (2,5) at depth 5; the 12
        // states expanded by then have 2+3+3+2+4+4+4+4+4+4+4+4 = 42 enabled actions.
        assertEquals(new Counts(14, 42, 6, 0, false, true, false), Counts.of(result.statistics()));
    }

    @Test
    @DisplayName("The water-jug puzzle has 16 reachable states and 58 transitions when explored in full")
    void waterJugInvariantHoldsExhaustively() {
        var result = Checker.of(new WaterJugs())
                .properties(List.of(
                        Property.always("never 4 L", (Jugs j) -> j.b() != 4),
                        Property.always("within capacity", (Jugs j) -> j.a() <= 3 && j.b() <= 5)))
                .check();
        assertEquals(VIOLATED, result.results().get(0).status());
        assertEquals(JUG_TRACE, result.results().get(0).path().orElseThrow().states());
        assertEquals(HOLDS_WITHIN_BOUNDS, result.results().get(1).status());
        assertEquals(new Counts(16, 58, 7, 0, false, false, true), Counts.of(result.statistics()));
    }

    @Test
    @DisplayName("A SOMETIMES property that no state satisfies is NOT_REACHED after an exhaustive search")
    void unreachableSometimesIsNotReached() {
        var result = Checker.of(new Grid(2, 3))
                .properties(List.of(Property.sometimes("sum is 100", p -> Grid.sum(p) == 100)))
                .check();
        assertEquals(NOT_REACHED_WITHIN_BOUNDS, result.result("sum is 100").status());
        assertEquals(Optional.empty(), result.result("sum is 100").path());
        assertEquals(new Counts(16, 24, 6, 0, false, false, true), Counts.of(result.statistics()));
    }

    @Test
    @DisplayName("With maxDepth 2 on a 3-cube, the 3 states at depth 2 are cut and the search is not exhaustive")
    void depthBoundCutsStatesThatHaveActions() {
        var result = Checker.of(new Grid(3, 1)).maxDepth(2).check();
        // 1 + 3 + 3 states; depth 0 and 1 expanded: 3 + 3*2 transitions; each depth-2 state has one action left.
        assertEquals(new Counts(7, 9, 2, 3, false, false, false), Counts.of(result.statistics()));
    }

    @Test
    @DisplayName("A state at the depth bound without enabled actions is not counted as cut")
    void depthBoundOnLastStateIsStillExhaustive() {
        var result = Checker.of(new Grid(3, 1)).maxDepth(3).check();
        assertEquals(new Counts(8, 12, 3, 0, false, false, true), Counts.of(result.statistics()));
    }

    @Test
    @DisplayName("With maxDepth 2 on a grid of 3 counters up to 4, 10 states are stored and the 6 at depth 2 cut")
    void depthBoundOnWiderGrid() {
        var result = Checker.of(new Grid(3, 4)).maxDepth(2)
                .properties(List.of(Property.sometimes("sum is 3", p -> Grid.sum(p) == 3)))
                .check();
        assertEquals(NOT_REACHED_WITHIN_BOUNDS, result.result("sum is 3").status());
        assertEquals(new Counts(10, 12, 2, 6, false, false, false), Counts.of(result.statistics()));
    }

    @Test
    @DisplayName("maxStates 10 stops the grid search at the 11th distinct state, found expanding (2,0,0)")
    void stateBoundStopsTheSearch() {
        var result = Checker.of(new Grid(3, 4)).maxStates(10)
                .properties(List.of(Property.always("sum at most 12", p -> Grid.sum(p) <= 12)))
                .check();
        assertEquals(HOLDS_WITHIN_BOUNDS, result.result("sum at most 12").status());
        // Depths 0-2 hold 1 + 3 + 6 = 10 states; 3 + 9 transitions expanding depths 0-1, then 3 from (2,0,0).
        assertEquals(new Counts(10, 15, 2, 0, true, false, false), Counts.of(result.statistics()));
    }

    @Test
    @DisplayName("A space of exactly maxStates states does not hit the state bound")
    void stateBoundEqualToSpaceIsNotHit() {
        var result = Checker.of(new Grid(3, 1)).maxStates(8).check();
        assertEquals(new Counts(8, 12, 3, 0, false, false, true), Counts.of(result.statistics()));
    }

    @Test
    @DisplayName("States outside the boundary are counted and checked but not expanded")
    void boundaryStopsExpansionButNotChecking() {
        var model = new Grid(2, 9, p -> Grid.sum(p) <= 3);
        var result = Checker.of(model)
                .properties(List.of(
                        Property.always("sum at most 3", p -> Grid.sum(p) <= 3),
                        Property.always("sum at most 4", p -> Grid.sum(p) <= 4)))
                .check();
        // Points with sum <= 4: 1+2+3+4+5 = 15; the 10 with sum <= 3 are expanded, 2 actions each.
        assertEquals(new Counts(15, 20, 4, 0, false, false, true), Counts.of(result.statistics()));
        Path<List<Integer>, Integer> path = result.result("sum at most 3").path().orElseThrow();
        assertEquals(List.of(0, 0, 0, 0), path.actions());
        assertEquals(List.of(4, 0), path.lastState());
        assertEquals(HOLDS_WITHIN_BOUNDS, result.result("sum at most 4").status());
    }

    @Test
    @DisplayName("Results come in the order the properties were given, and the search stops once all are decided")
    void resultsKeepPropertyOrderAndEarlyStop() {
        var result = Checker.of(new Grid(3, 4))
                .properties(List.of(
                        Property.sometimes("sum is 2", p -> Grid.sum(p) == 2),
                        Property.always("sum below 1", p -> Grid.sum(p) < 1)))
                .check();
        assertEquals(List.of("sum is 2", "sum below 1"),
                result.results().stream().map(r -> r.property().name()).toList());
        assertEquals(REACHED, result.results().get(0).status());
        assertEquals(List.of(List.of(0, 0, 0), List.of(1, 0, 0), List.of(2, 0, 0)),
                result.results().get(0).path().orElseThrow().states());
        assertEquals(VIOLATED, result.results().get(1).status());
        assertEquals(List.of(0), result.results().get(1).path().orElseThrow().actionIndices());
        // Stopped at (2,0,0), the first depth-2 state: ids 0..4, transitions of depth 0 and 1 (1,0,0).
        assertEquals(new Counts(5, 6, 2, 0, false, true, false), Counts.of(result.statistics()));
    }

    @Test
    @DisplayName("An initial state that violates an invariant gives a trace of length 0 from that initial state")
    void violationInInitialState() {
        Model<Integer, Integer> model = new ToyModels.DirectedGraph(
                List.of(List.of(1), List.of(0), List.of()), List.of(0, 0, 2));
        var result = Checker.of(model).properties(List.of(Property.always("not node 2", (Integer n) -> n != 2)))
                .check();
        Path<Integer, Integer> path = result.result("not node 2").path().orElseThrow();
        assertEquals(2, path.initialIndex());
        assertEquals(0, path.length());
        assertEquals(List.of(2), path.states());
        // The duplicate initial state 0 is stored once.
        assertEquals(new Counts(2, 0, 0, 0, false, true, false), Counts.of(result.statistics()));
    }

    @Test
    @DisplayName("Replay rebuilds the water-jug trace from its action indices, and rejects an index out of range")
    void replayRebuildsTraces() {
        Path<Jugs, Pour> path = Checker.replay(new WaterJugs(), 0, JUG_ACTION_INDICES);
        assertEquals(JUG_TRACE, path.states());
        assertEquals(JUG_ACTIONS, path.actions());
        assertEquals(6, path.length());
        var error = assertThrows(IllegalArgumentException.class,
                () -> Checker.replay(new WaterJugs(), 0, List.of(1, 7)));
        assertTrue(error.getMessage().startsWith("step 2: action 7 requested, 3 enabled"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checker.replay(new WaterJugs(), 1, List.of()));
    }

    /** Counts 0, 1, 2, ... but once a state has been left, leaving it again skips a number. */
    static final class ForgetfulCounter implements Model<Integer, String> {
        private final Set<Integer> left = ConcurrentHashMap.newKeySet();

        @Override
        public List<Integer> initialStates() {
            return List.of(0);
        }

        @Override
        public void actions(Integer n, List<String> out) {
            if (n < 10) {
                out.add("tick");
            }
        }

        @Override
        public Integer next(Integer n, String action) {
            return left.add(n) ? n + 1 : n + 2;
        }

        @Override
        public void encode(Integer n, StateEncoder out) {
            out.putInt(n);
        }
    }

    @Test
    @DisplayName("A model whose successors change between calls is reported as not deterministic, naming the step")
    void nondeterministicModelIsDetectedOnReplay() {
        var checker = Checker.of(new ForgetfulCounter())
                .properties(List.of(Property.always("below 3", (Integer n) -> n < 3)));
        var error = assertThrows(IllegalStateException.class, checker::check);
        // The search stored 0, 1, 2, 3; replaying the trace to 3 gives 0, 2, 4: the first state it never stored.
        assertEquals("model is not deterministic: replaying the trace, step 2 gave 4, a state the search never stored",
                error.getMessage());
    }

    static final class FailingGrid implements Model<List<Integer>, Integer> {
        private final Grid grid = new Grid(3, 4);

        @Override
        public List<List<Integer>> initialStates() {
            return grid.initialStates();
        }

        @Override
        public void actions(List<Integer> point, List<Integer> out) {
            grid.actions(point, out);
        }

        @Override
        public List<Integer> next(List<Integer> point, Integer counter) {
            if (Grid.sum(point) == 3) {
                throw new ArithmeticException("cannot leave " + point);
            }
            return grid.next(point, counter);
        }

        @Override
        public void encode(List<Integer> point, StateEncoder out) {
            grid.encode(point, out);
        }
    }

    @Test
    @DisplayName("A model exception propagates unchanged with one thread and as the cause of a ModelException with two")
    void modelExceptionsPropagate() {
        var single = assertThrows(ArithmeticException.class, () -> Checker.of(new FailingGrid()).check());
        assertEquals("cannot leave [3, 0, 0]", single.getMessage());
        var parallel = assertThrows(ModelException.class, () -> Checker.of(new FailingGrid()).threads(2).check());
        assertSame(ArithmeticException.class, parallel.getCause().getClass());
        assertEquals("cannot leave [3, 0, 0]", parallel.getCause().getMessage());
    }

    @Test
    @DisplayName("The progress listener sees the distinct-state count after each of the 8 water-jug levels")
    void progressIsReportedPerLevel() {
        List<Long> seen = new ArrayList<>();
        Checker.of(new WaterJugs()).progress(s -> seen.add(s.distinctStates())).check();
        assertEquals(List.of(3L, 6L, 8L, 10L, 12L, 14L, 16L, 16L), seen);
    }

    @Test
    @DisplayName("Invalid settings and duplicate property names are rejected")
    void invalidSettingsAreRejected() {
        var checker = Checker.of(new WaterJugs());
        assertThrows(IllegalArgumentException.class, () -> checker.threads(0));
        assertThrows(IllegalArgumentException.class, () -> checker.maxDepth(-1));
        assertThrows(IllegalArgumentException.class, () -> checker.maxStates(0));
        assertThrows(IllegalArgumentException.class, () -> checker.properties(List.of(
                Property.always("p", j -> true), Property.sometimes("p", j -> true))));
        assertFalse(checker.check().statistics().stoppedEarly());
    }

    @Test
    @DisplayName("Cancelling from the progress listener stops after the current block with a partial, undecided result")
    void cancellationStopsBetweenBlocks() {
        Cancellation cancel = new Cancellation();
        var result = Checker.of(new Grid(6, 9))
                .properties(List.of(Property.always("sum at most 54", p -> Grid.sum(p) <= 54)))
                .cancellation(cancel).progress(s -> cancel.cancel()).check();
        Statistics s = result.statistics();
        assertEquals(Stop.CANCELLED, s.stop());
        assertTrue(s.stop().incomplete());
        assertFalse(s.exhaustive());
        assertTrue(s.distinctStates() < 1_000_000, "stopped early: " + s.distinctStates());
        assertEquals(HOLDS_WITHIN_BOUNDS, result.result("sum at most 54").status());
    }

    @Test
    @DisplayName("A time limit that has passed before the first block ends the search with TIME_LIMIT at the initial state")
    void timeLimitStopsTheSearch() {
        var result = Checker.of(new Grid(6, 9))
                .properties(List.of(Property.always("sum at most 54", p -> Grid.sum(p) <= 54)))
                .timeLimit(java.time.Duration.ofNanos(1)).check();
        assertEquals(Stop.TIME_LIMIT, result.statistics().stop());
        assertEquals(1, result.statistics().distinctStates());
    }

    @Test
    @DisplayName("A violation found before a stop keeps its verdict and its shortest trace")
    void aVerdictFoundBeforeAStopStands() {
        Cancellation cancel = new Cancellation();
        var result = Checker.of(new Grid(6, 9))
                .properties(List.of(Property.always("first counter below 1", p -> p.get(0) < 1),
                        Property.always("sum at most 54", p -> Grid.sum(p) <= 54)))
                .cancellation(cancel).progress(s -> cancel.cancel()).check();
        assertEquals(Stop.CANCELLED, result.statistics().stop());
        assertEquals(VIOLATED, result.result("first counter below 1").status());
        assertEquals(1, result.result("first counter below 1").path().orElseThrow().length());
    }

    @Test
    @DisplayName("A memory limit below the heap in use ends the search with MEMORY_LIMIT before the first block")
    void memoryLimitStopsTheSearch() {
        var result = Checker.of(new Grid(6, 9)).properties(List.of(Property.always("true", p -> true)))
                .memoryLimit(1).check();
        assertEquals(Stop.MEMORY_LIMIT, result.statistics().stop());
        assertEquals(1, result.statistics().distinctStates());
    }
}
