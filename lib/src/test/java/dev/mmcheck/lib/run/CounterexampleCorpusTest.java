package dev.mmcheck.lib.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.lib.MmCheck;
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
        assertEquals(57, names.size(), names.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void savedCounterexampleStillViolatesAndIsStillTheShortest(Path file) throws Exception {
        CounterexampleFile cx = CounterexampleFile.read(file);
        MmCheck.Replay r = MmCheck.options().replay(file);
        Runner.Replayed replayed = r.result();
        assertEquals(0, replayed.divergedAt(), replayed.divergence());
        assertTrue(replayed.violated(), "replay no longer violates " + cx.property());
        assertEquals(cx.calls(), replayed.trace().steps().stream().map(Trace.TraceStep::call).toList());
        assertEquals(cx.actionIndices(), replayed.trace().actionIndices(), "steps are found at their recorded positions");
        assertEquals(cx.violation(), replayed.detail());
        assertEquals(cx.profile(), r.profile());

        // The spec in the repository is still the one recorded, and a fresh check finds the same shortest trace.
        Spec spec = SpecParser.parse(Repo.spec(cx.specFile()));
        assertEquals(cx.specText(), spec.text(), "the spec changed since the counterexample was recorded");
        Profile release = Profiles.named(cx.release()).orElseThrow();
        CheckReport fresh = MmCheck.options().profile(release).arch(cx.arch().isEmpty() ? "x86_64" : cx.arch()).check(spec);
        PropertyReport p = fresh.property(cx.property());
        assertEquals(Verdict.VIOLATED, p.verdict());
        assertEquals(cx.actionIndices(), p.trace().orElseThrow().actionIndices(), "the shortest trace changed");
    }

    @Test
    void replayOfATraceUnderTheFixedEraNoLongerViolates() throws Exception {
        Path file = Repo.root().resolve("counterexamples/cve-2020-29374-vmsplice-child.v5.7.no-leak-across-fork.json");
        MmCheck.Replay r = MmCheck.options().profile("v5.9").replay(file);
        assertEquals(0, r.result().divergedAt(), r.result().divergence());
        assertFalse(r.result().violated());
        assertFalse(r.stillViolates());
        assertEquals(r.file().calls(), r.result().trace().steps().stream().map(Trace.TraceStep::call).toList());
    }
}
