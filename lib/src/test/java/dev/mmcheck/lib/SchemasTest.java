package dev.mmcheck.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mmcheck.lib.report.JsonReport;
import dev.mmcheck.lib.run.CheckReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every report of every bundled spec, and every committed counterexample, is valid under its JSON Schema. */
class SchemasTest {

    static Stream<Path> counterexamples() throws IOException {
        try (Stream<Path> files = Files.list(Repo.root().resolve("counterexamples"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    static Stream<Path> specs() throws IOException {
        try (Stream<Path> files = Files.walk(Repo.root().resolve("specs"))) {
            return files.filter(f -> f.toString().endsWith(".mmc")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("counterexamples")
    void everyCommittedCounterexampleIsValid(Path file) throws Exception {
        assertEquals(List.of(), Schemas.errors("counterexample", Files.readString(file)));
    }

    @Test
    void theReportOfEveryBundledSpecIsValid() throws Exception {
        List<CheckReport> reports = new ArrayList<>();
        for (Path spec : specs().toList()) reports.add(MmCheck.check(spec));
        assertEquals(List.of(), Schemas.errors("report", JsonReport.render(reports, List.of("t.mmc:1:1: an error"))));
    }

    @Test
    void theSchemasHaveTeeth() {
        assertFalse(Schemas.errors("counterexample", "{\"schema\": \"mmcheck-counterexample/2\"}").isEmpty());
        assertFalse(Schemas.errors("report", "{\"schema\": \"mmcheck-report/2\", \"tool\": \"mmcheck 0.2.0\", \"runs\": [{}], \"errors\": []}").isEmpty());
    }
}
