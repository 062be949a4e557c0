package dev.mmcheck.lib.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.invariant.Catalogue;
import dev.mmcheck.model.invariant.Invariant;
import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import dev.mmcheck.model.state.MmState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Counterexamples are shrunk to what the violation needs, and the result is 1-minimal. */
class MinimizerTest {

    private static PropertyReport violated(String spec, String profile, String property) throws Exception {
        CheckReport r = Signatures.run(spec, profile, 1);
        PropertyReport p = r.properties().stream().filter(x -> x.name().equals(property)).findFirst().orElseThrow();
        assertEquals(Verdict.VIOLATED, p.verdict());
        return p;
    }

    @Test
    void anExplorationCounterexampleDropsTheSetupItDoesNotNeed() throws Exception {
        Minimizer.Minimized m = violated("specs/explore/anon-all-ops-1page.mmc", "v5.9", "pin-coherent").minimal().orElseThrow();
        assertEquals(4, m.originalSize()); // mmap, madvise(MERGEABLE), then the 2-step trace
        assertEquals(List.of(
                "P0 mmap(A, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS)",
                "P0 pin_user_pages(A, FOLL_LONGTERM)",
                "P0 *A = 0x01"), m.calls());
    }

    @Test
    void aMinimalCounterexampleKeepsPinsPinsRatherThanTradingTheBugForAFollGetOne() throws Exception {
        Minimizer.Minimized m = violated("specs/explore/anon-all-ops-1page.mmc", "v5.9", "no-leak-across-fork").minimal().orElseThrow();
        assertEquals(List.of(
                "P0 mmap(A, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS)",
                "P0 pin_user_pages(A, FOLL_WRITE)",
                "kswapd reclaims the folio at P0 A",
                "P0 fork() = P1",
                "P0 device writes 0x01 via P0 A FOLL_PIN|FOLL_WRITE"), m.calls());
    }

    @Test
    void everyMinimalCounterexampleIsOneMinimal() throws Exception {
        String[][] cases = {
                {"specs/cow/cve-2020-29374-vmsplice-child.mmc", "v5.7", "no-leak-across-fork"},
                {"specs/gup/fork-longterm-rw-pin.mmc", "v5.8", "pin-coherent"},
                {"specs/gup/ro-pin-mprotect-softdirty.mmc", "v5.9", "pin-coherent"},
                {"specs/gup/ro-pin-swapcache-out-in.mmc", "v5.18", "pin-coherent"},
                {"specs/teeth/writable-anon-exclusive-mprotect-reverted.mmc", "v7.0", "writable-anon-is-exclusive"},
                {"specs/explore/anon-all-ops-2pages.mmc", "v5.9", "no-leak-across-fork"},
        };
        for (String[] c : cases) {
            Spec spec = SpecParser.parse(Repo.spec(c[0]));
            Profile profile = Runner.profileFor(spec, Profiles.named(c[1]).orElseThrow());
            Invariant inv = Catalogue.invariant(c[2]).orElseThrow();
            Minimizer.Minimized m = violated(c[0], c[1], c[2]).minimal().orElseThrow();
            MmState empty = MmState.initial(spec.processes(), spec.pages());
            assertTrue(Minimizer.run(empty, profile, m.ops(), s -> !inv.holds(profile, s)).isPresent(), c[0] + ": minimal must violate");
            for (int i = 0; i < m.ops().size(); i++) {
                List<Op> fewer = new ArrayList<>(m.ops());
                fewer.remove(i);
                assertFalse(Minimizer.run(empty, profile, fewer, s -> !inv.holds(profile, s)).isPresent(),
                        c[0] + ": still violates without step " + (i + 1) + ", so the result is not minimal");
            }
            assertTrue(m.calls().size() <= m.originalSize());
        }
    }

    @Test
    void theCveCounterexampleNeedsItsWholeSetupAndTrace() throws Exception {
        Minimizer.Minimized m = violated("specs/cow/cve-2020-29374-vmsplice-child.mmc", "v5.7", "no-leak-across-fork").minimal().orElseThrow();
        assertEquals(6, m.originalSize());
        assertEquals(List.of(
                "P0 mmap(A, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS)",
                "P0 *A = 0x01",
                "P0 fork() = P1",
                "P1 get_user_pages(A) as pipe",
                "P1 munmap(A)",
                "P0 *A = 0xff"), m.calls());
    }
}
