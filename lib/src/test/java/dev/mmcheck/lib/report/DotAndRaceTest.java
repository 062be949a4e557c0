package dev.mmcheck.lib.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.Runner;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.profile.Profiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The race diagram and the DOT graph of a counterexample. */
class DotAndRaceTest {

    private static CheckReport cve() throws Exception {
        return new Runner(1).check(SpecParser.parse(Repo.spec("specs/cow/cve-2020-29374-vmsplice-child.mmc")), Profiles.V5_7);
    }

    private static PropertyReport leak(CheckReport r) {
        return r.properties().stream().filter(p -> p.name().equals("no-leak-across-fork")).findFirst().orElseThrow();
    }

    @Test
    void aTwoProcessCounterexampleIsDrawnAsTheTwoColumnRaceOfKernelCommitMessages() throws Exception {
        assertEquals(List.of(
                "CPU 0 (P0)                            CPU 1 (P1)",
                "------------------------              ------------------------",
                "                                      get_user_pages(A) as pipe",
                "                                      munmap(A)",
                "*A = 0xff"), TextReport.raceDiagram(leak(cve()).trace().orElseThrow()));
    }

    @Test
    void aOneProcessCounterexampleHasNoRaceDiagram() throws Exception {
        CheckReport r = new Runner(1).check(SpecParser.parse(Repo.spec("specs/gup/ro-pin-mprotect-softdirty.mmc")), Profiles.V5_9);
        assertEquals(List.of(), TextReport.raceDiagram(r.properties().get(1).trace().orElseThrow()));
    }

    @Test
    void theDotGraphHasANodePerStateAnEdgePerStepAndTheBrokenNote() throws Exception {
        String dot = DotReport.render(List.of(cve()));
        assertTrue(dot.startsWith("digraph mmcheck {"));
        assertTrue(dot.contains("t1_0 -> t1_1 [label=\"1. P1 get_user_pages(A) as pipe\\l__get_user_pages ->\\ltry_grab_page(FOLL_GET) on folio#0"
                + "\\lchanged:\\l  folio#0 ref 2->3\\l  + pipe: P1 A FOLL_GET on folio#0\\l\"];"), dot);
        assertTrue(dot.contains("t1_3 [label=\"after step 3\\lP0 A: vma private-anon rw anon_vma, pte folio#0 RW dirty soft-dirty"), dot);
        assertTrue(dot.contains("folio#0: kind anon, refcount 2, mapcount 1, data 0xff (stored by P0)"), dot);
        assertTrue(dot.contains("t1_broken [shape=note, color=red, label=\"broken: P1 reads 0xff (stored by P0) through its FOLL_GET reference"), dot);
        assertEquals(2, dot.split("subgraph cluster_").length - 1);
    }
}
