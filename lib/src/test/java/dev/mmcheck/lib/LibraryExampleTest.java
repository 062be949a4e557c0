package dev.mmcheck.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.Verdict;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's worked example: mmcheck as a library in a JUnit 5 test, independent of the command line. */
class LibraryExampleTest {

    @Test
    void theVmspliceCveBreaksNoLeakAcrossForkOnV57AndNotOnV59() throws Exception {
        Path spec = Repo.spec("specs/cow/cve-2020-29374-vmsplice-child.mmc");

        CheckReport r = MmCheck.check(spec);
        assertEquals(Verdict.VIOLATED, r.verdict("no-leak-across-fork"));
        assertEquals(3, r.property("no-leak-across-fork").trace().orElseThrow().length());

        CheckReport fixed = MmCheck.options().profile("v5.9").threads(2).check(spec);
        assertEquals(Verdict.NO_VIOLATION_WITHIN_BOUNDS, fixed.verdict("no-leak-across-fork"));
        assertEquals(6, fixed.states());
        assertEquals(CheckReport.Status.NO_VIOLATION, fixed.status());
    }
}
