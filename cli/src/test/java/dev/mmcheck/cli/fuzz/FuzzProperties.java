package dev.mmcheck.cli.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The fuzz suite within CI's budget: malformed specs and counterexample files made from the bundled ones, each
 * judged by {@link Fuzz#problems}. The long campaign (tens of thousands of cases, with a table of outcomes per
 * class) is {@link FuzzCampaign}.
 */
class FuzzProperties {
    private static List<String> specs;
    private static List<String> counterexamples;

    @BeforeContainer
    static void seeds() throws Exception {
        specs = Fuzz.seeds("specs", ".mmc");
        counterexamples = Fuzz.seeds("counterexamples", ".json");
    }

    @Property(tries = 300, seed = "20261201")
    void aMalformedSpecIsRefusedWithOneLocatedMessageAndNeverCrashes(@ForAll long seed) throws Exception {
        Fuzz.Case c = Fuzz.spec(seed, specs);
        Path file = Files.createTempFile("fuzz-", ".mmc");
        try {
            Files.write(file, c.bytes());
            assertEquals(List.of(), Fuzz.problems(c, file, Fuzz.check(file)), c.kind() + " from seed " + seed);
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 200, seed = "20261201")
    void aMalformedCounterexampleIsRefusedWithOneLocatedMessageAndNeverCrashes(@ForAll long seed) throws Exception {
        Fuzz.Case c = Fuzz.counterexample(seed, counterexamples);
        Path file = Files.createTempFile("fuzz-", ".json");
        try {
            Files.write(file, c.bytes());
            assertEquals(List.of(), Fuzz.problems(c, file, Fuzz.replay(file)), c.kind() + " from seed " + seed);
        } finally {
            Files.delete(file);
        }
    }
}
