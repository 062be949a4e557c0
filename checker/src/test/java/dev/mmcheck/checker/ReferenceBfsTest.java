package dev.mmcheck.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmcheck.checker.ToyModels.DirectedGraph;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The checker against a textbook BFS on random small directed graphs. */
class ReferenceBfsTest {

    record Graph(List<List<Integer>> edges, List<Integer> initial, Set<Integer> bad) {
    }

    /** What a plain queue-based BFS says about a graph searched to depth maxDepth. */
    record Reference(long reachable, long transitions, long cut, int shortestToBad) {
        static Reference of(Graph g, int maxDepth) {
            int n = g.edges().size();
            int[] depth = new int[n];
            Arrays.fill(depth, -1);
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            for (int node : g.initial()) {
                if (depth[node] < 0) {
                    depth[node] = 0;
                    queue.add(node);
                }
            }
            long reachable = 0;
            long transitions = 0;
            long cut = 0;
            int shortestToBad = -1;
            while (!queue.isEmpty()) {
                int node = queue.poll();
                reachable++;
                if (shortestToBad < 0 && g.bad().contains(node)) {
                    shortestToBad = depth[node];
                }
                if (depth[node] == maxDepth) {
                    cut += g.edges().get(node).isEmpty() ? 0 : 1;
                    continue;
                }
                for (int target : g.edges().get(node)) {
                    transitions++;
                    if (depth[target] < 0) {
                        depth[target] = depth[node] + 1;
                        queue.add(target);
                    }
                }
            }
            return new Reference(reachable, transitions, cut, shortestToBad);
        }
    }

    @Provide
    Arbitrary<Graph> graphs() {
        return Arbitraries.integers().between(1, 25).flatMap(n -> {
            Arbitrary<Integer> node = Arbitraries.integers().between(0, n - 1);
            return Combinators.combine(
                    node.list().ofMaxSize(4).list().ofSize(n),
                    node.list().ofMinSize(1).ofMaxSize(3),
                    node.set().ofMaxSize(3)).as(Graph::new);
        }).withoutEdgeCases(); // edge cases of the nested lists alone outnumber the tries; small sizes come anyway
    }

    @net.jqwik.api.Property(tries = 1000)
    @Label("On random small graphs, with a packed or an object frontier, state, transition and cut counts and the shortest violation match a plain BFS")
    void checkerAgreesWithReferenceBfs(@ForAll("graphs") Graph graph,
                                       @ForAll @IntRange(min = 0, max = 30) int maxDepth,
                                       @ForAll @IntRange(min = 1, max = 3) int threads,
                                       @ForAll boolean packed) {
        var model = new DirectedGraph(graph.edges(), graph.initial());
        var result = Checker.of(packed ? model : new ToyModels.Opaque<>(model)).maxDepth(maxDepth).threads(threads)
                .properties(List.of(
                        Property.always("avoids bad nodes", (Integer node) -> !graph.bad().contains(node)),
                        // Never reached, so the search does not stop at the first bad node.
                        Property.sometimes("nothing", (Integer node) -> false)))
                .check();
        var expected = Reference.of(graph, maxDepth);
        var stats = result.statistics();
        assertEquals(expected.reachable(), stats.distinctStates());
        assertEquals(expected.transitions(), stats.transitions());
        assertEquals(expected.cut(), stats.statesCutByDepthBound());
        assertEquals(expected.cut() == 0, stats.exhaustive());
        var violation = result.result("avoids bad nodes").path();
        assertEquals(expected.shortestToBad(), violation.map(Path::length).orElse(-1));
        violation.ifPresent(path -> {
            for (int i = 0; i < path.length(); i++) {
                int from = path.states().get(i);
                assertEquals(graph.edges().get(from).get(path.actionIndices().get(i)), path.states().get(i + 1));
            }
            assertEquals(graph.initial().get(path.initialIndex()), path.states().get(0));
            assertEquals(path, Checker.replay(model, path.initialIndex(), path.actionIndices()));
        });
    }
}
