package dev.mmcheck.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.checker.CheckerTest.Counts;
import dev.mmcheck.checker.ToyModels.Hypercube;
import dev.mmcheck.checker.ToyModels.Jugs;
import dev.mmcheck.checker.ToyModels.Pour;
import dev.mmcheck.checker.ToyModels.WaterJugs;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelSearchTest {

    /** Everything a run reports except elapsed time: what must not depend on the thread count. */
    record Outcome<S, A>(Counts counts, List<PropertyResult<S, A>> results) {
        static <S, A> Outcome<S, A> of(CheckResult<S, A> r) {
            return new Outcome<>(Counts.of(r.statistics()), r.results());
        }
    }

    /**
     * Properties of the 16-cube (65536 states, levels up to C(16,8) = 12870 wide, so several blocks per level):
     * the first state in BFS order with more than 8 bits is 0x1FF, the first with exactly 8 is 0xFF, and the
     * third property keeps the search going to the end.
     */
    private static final List<Property<Integer>> CUBE_PROPERTIES = List.of(
            Property.always("at most 8 bits", (Integer b) -> Integer.bitCount(b) <= 8),
            Property.sometimes("low byte set", (Integer b) -> b == 0xFF),
            Property.always("within 16 bits", (Integer b) -> b >>> 16 == 0));

    private static CheckResult<Integer, Integer> cube(int threads) {
        return Checker.of(new Hypercube(16)).properties(CUBE_PROPERTIES).threads(threads).check();
    }

    @ParameterizedTest(name = "with {0} threads")
    @ValueSource(ints = {1, 2, 4})
    @DisplayName("The 16-cube gives exact counts and the traces toggling bits 0..8 and 0..7, whatever the threads")
    void hypercubeExactOutcome(int threads) {
        var result = cube(threads);
        assertEquals(new Counts(65536, 16 * 65536, 16, 0, false, false, true), Counts.of(result.statistics()));
        var violation = result.result("at most 8 bits").path().orElseThrow();
        assertEquals(IntStream.range(0, 9).boxed().toList(), violation.actionIndices());
        assertEquals(0x1FF, violation.lastState());
        var witness = result.result("low byte set").path().orElseThrow();
        assertEquals(IntStream.range(0, 8).boxed().toList(), witness.actions());
        assertEquals(PropertyResult.Status.HOLDS_WITHIN_BOUNDS, result.result("within 16 bits").status());
    }

    @Test
    @DisplayName("Counts and traces are identical with 1, 2 and 4 threads, also when bounds cut the search")
    void resultsDoNotDependOnThreadCount() {
        for (var checker : List.of(
                Checker.of(new Hypercube(16)).properties(CUBE_PROPERTIES),
                Checker.of(new Hypercube(16)).properties(CUBE_PROPERTIES).maxStates(30_000),
                Checker.of(new Hypercube(16)).properties(CUBE_PROPERTIES).maxDepth(5))) {
            var expected = Outcome.of(checker.threads(1).check());
            assertEquals(expected, Outcome.of(checker.threads(2).check()));
            assertEquals(expected, Outcome.of(checker.threads(4).check()));
        }
    }

    @Test
    @DisplayName("maxDepth 5 on the 16-cube stores 2517 + 4368 states and cuts the 4368 at depth 5")
    void hypercubeDepthBound() {
        var result = Checker.of(new Hypercube(16)).maxDepth(5).threads(2).check();
        assertEquals(new Counts(6885, 16 * 2517, 5, 4368, false, false, false), Counts.of(result.statistics()));
    }

    @Test
    @DisplayName("maxStates 30000 on the 16-cube stops while expanding depth 7, after 3667 states of depth 8")
    void hypercubeStateBound() {
        var result = Checker.of(new Hypercube(16)).maxStates(30_000).threads(4).check();
        // Depths 0-7 hold 26333 states, so 3667 of depth 8 fit and the 3668th triggers the bound.
        assertEquals(30_000, result.statistics().distinctStates());
        assertEquals(8, result.statistics().maxDepthReached());
        assertTrue(result.statistics().stateBoundHit());
    }

    @Test
    @DisplayName("Two checks running at the same time in one JVM both give their exact results")
    void twoChecksRunConcurrently() throws Exception {
        // Each model waits in initialStates() until the other check has started, so the searches overlap.
        CountDownLatch bothStarted = new CountDownLatch(2);
        class Waiting<S, A> implements Model<S, A> {
            private final Model<S, A> inner;

            Waiting(Model<S, A> inner) {
                this.inner = inner;
            }

            @Override
            public List<S> initialStates() {
                bothStarted.countDown();
                try {
                    bothStarted.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return inner.initialStates();
            }

            @Override
            public void actions(S state, List<A> out) {
                inner.actions(state, out);
            }

            @Override
            public S next(S state, A action) {
                return inner.next(state, action);
            }

            @Override
            public void encode(S state, StateEncoder out) {
                inner.encode(state, out);
            }
        }
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<CheckResult<Integer, Integer>> cube = callers.submit(() ->
                    Checker.of(new Waiting<>(new Hypercube(16))).properties(CUBE_PROPERTIES).threads(2).check());
            Future<CheckResult<Jugs, Pour>> jugs = callers.submit(() ->
                    Checker.of(new Waiting<>(new WaterJugs())).threads(2)
                            .properties(List.of(Property.always("never 4 L", (Jugs j) -> j.b() != 4))).check());
            assertEquals(Outcome.of(cube(1)), Outcome.of(cube.get()));
            assertEquals(new Counts(14, 42, 6, 0, false, true, false), Counts.of(jugs.get().statistics()));
            assertEquals(6, jugs.get().result("never 4 L").path().orElseThrow().length());
        } finally {
            callers.shutdownNow();
        }
    }
}
