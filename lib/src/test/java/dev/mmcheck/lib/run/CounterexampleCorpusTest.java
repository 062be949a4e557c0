package dev.mmcheck.lib.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.report.CounterexampleFile;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed counterexamples still violate, step for step, and are still the shortest the checker
 * finds: a model change that silently loses a known bug, or changes its minimal trace, fails here.
 */
class CounterexampleCorpusTest {

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.list(Repo.root().resolve("counterexamples"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void theCorpusHasAFileForEveryHistoricalBugAndEveryRevertedFix() throws IOException {
        List<String> names = corpus().map(p -> p.getFileName().toString()).toList();
        assertEquals(21, names.size(), names.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void savedCounterexampleStillViolatesAndIsStillTheShortest(Path file) throws Exception {
        CounterexampleFile cx = CounterexampleFile.read(file);
        Spec spec = SpecParser.parse(Repo.spec(cx.spec()));
        Profile base = Profiles.named(cx.baseProfile()).orElseThrow();

        Runner.Replayed replayed = Runner.replay(spec, base, cx.initialIndex(), cx.actionIndices(), cx.calls(), cx.property());
        assertEquals(0, replayed.divergedAt(), replayed.divergence());
        assertTrue(replayed.violated(), "replay no longer violates " + cx.property());
        assertEquals(cx.calls(), replayed.trace().steps().stream().map(Trace.TraceStep::call).toList());
        assertEquals(cx.violation(), replayed.detail());

        CheckReport fresh = new Runner(1).check(spec, base);
        PropertyReport p = fresh.properties().stream().filter(r -> r.name().equals(cx.property())).findFirst().orElseThrow();
        assertEquals(Verdict.VIOLATED, p.verdict());
        assertEquals(cx.actionIndices(), p.trace().orElseThrow().actionIndices(), "the shortest trace changed");
    }

    @Test
    void replayOfATraceUnderTheFixedEraNoLongerViolates() throws Exception {
        CounterexampleFile cx = CounterexampleFile.read(Repo.root().resolve(
                "counterexamples/cve-2020-29374-vmsplice-child.v5.7.no-leak-across-fork.json"));
        Spec spec = SpecParser.parse(Repo.spec(cx.spec()));
        Runner.Replayed replayed = Runner.replay(spec, Profiles.V5_9, cx.initialIndex(), cx.actionIndices(), cx.calls(), cx.property());
        assertEquals(0, replayed.divergedAt(), replayed.divergence());
        assertFalse(replayed.violated());
        assertEquals(cx.calls(), replayed.trace().steps().stream().map(Trace.TraceStep::call).toList());
    }
}
