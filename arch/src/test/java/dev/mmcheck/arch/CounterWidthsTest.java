package dev.mmcheck.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.z3.Context;
import dev.mmcheck.arch.z3.CounterWidths;
import dev.mmcheck.arch.z3.Verdict;
import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Decisions;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Counter widths, decided by Z3: exact answers, and teeth for the truncation check. */
class CounterWidthsTest {
    private Context ctx;
    private CounterWidths widths;

    @BeforeEach
    void open() {
        ctx = new Context();
        widths = new CounterWidths(ctx, 20_000);
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    private Verdict named(String name) {
        return widths.all().stream().filter(v -> v.check().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void twoMillionPinsOverflowASmallFoliosRefcount() {
        Verdict v = named("refcount-pin-overflow");
        assertEquals(Verdict.Status.FOUND, v.status());
        assertEquals("2,097,152 pins (0x200000) take the refcount from 1 to 2,147,483,649, past INT_MAX 2,147,483,647; "
                + "2,097,151 pins still fit", v.detail());
    }

    private Verdict zeropage(String profile, String check) {
        Profile p = Profiles.named(profile.split("\\+")[0]).orElseThrow();
        if (profile.endsWith("+pte-special=absent")) p = p.with(DecisionPoint.PTE_SPECIAL, Decisions.PteSpecial.ABSENT);
        return widths.zeropage(p).stream().filter(v -> v.check().equals(check)).findFirst().orElseThrow();
    }

    @Test
    void zeropagePinsOverflowItsRefcountBeforeV65AndNotFromIt() {
        // the per-pin delta comes from running the model's GUP rule, not from the test or the check
        Verdict before = zeropage("v6.4", "zeropage-pin-no-overflow");
        assertEquals(Verdict.Status.VIOLATED, before.status());
        assertEquals("each adds 1024 (measured on the model): 2,097,152 pins take it from 1 past INT_MAX 2,147,483,647",
                before.detail());
        Verdict from = zeropage("v6.5", "zeropage-pin-no-overflow");
        assertEquals(Verdict.Status.HOLDS, from.status());
        assertEquals("each adds 0 to the zeropage's refcount (measured on the model)", from.detail());
        // v5.6 and before: a pin is a plain reference
        assertEquals("each adds 1 (measured on the model): 2,147,483,647 pins take it from 1 past INT_MAX 2,147,483,647",
                zeropage("v5.6", "zeropage-pin-no-overflow").detail());
    }

    @Test
    void zeropageInsertsAreRefcountedBeforeV611() {
        assertEquals(Verdict.Status.VIOLATED, zeropage("v6.10", "zeropage-insert-no-overflow").status());
        assertEquals(Verdict.Status.HOLDS, zeropage("v6.11", "zeropage-insert-no-overflow").status());
    }

    @Test
    void daxHoleCyclesLeakOnlyWithoutPteSpecialBeforeV611() {
        assertEquals(Verdict.Status.HOLDS, zeropage("v6.10", "zeropage-dax-hole-balanced").status());
        Verdict leak = zeropage("v6.10+pte-special=absent", "zeropage-dax-hole-balanced");
        assertEquals(Verdict.Status.VIOLATED, leak.status());
        assertEquals("each adds 1 (measured on the model): 2,147,483,647 map/unmap cycles take it from 1 past INT_MAX "
                + "2,147,483,647", leak.detail());
        assertEquals(Verdict.Status.HOLDS, zeropage("v6.11+pte-special=absent", "zeropage-dax-hole-balanced").status());
    }

    @Test
    void overflowsTypeRejectsExactlyTheTruncatingPageCounts() {
        assertEquals(Verdict.Status.HOLDS, named("sg-page-count-truncation").status());
    }

    @Test
    void aCheckAgainstIntMaxInsteadOfUintMaxHasACounterexample() {
        Verdict v = widths.truncation("t", "npages > INT_MAX", n -> ctx.mkBVUGT(n, ctx.mkBV(0x7fffffffL, 64)));
        assertEquals(Verdict.Status.VIOLATED, v.status());
    }

    @Test
    void checkingTheByteSizeInsteadOfThePageCountHasACounterexample() {
        // overflows_type(size, unsigned int) with size = npages << PAGE_SHIFT: rejects counts that would not truncate
        Verdict v = widths.truncation("t", "overflows_type(npages << 12, unsigned int)",
                n -> ctx.mkBVUGT(ctx.mkBVSHL(n, ctx.mkBV(12, 64)), ctx.mkBV(0xffffffffL, 64)));
        assertEquals(Verdict.Status.VIOLATED, v.status());
        assertEquals(List.of("npages"), List.of(v.detail().split(" = ")[0]));
    }
}
