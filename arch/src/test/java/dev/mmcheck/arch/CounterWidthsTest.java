package dev.mmcheck.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.z3.Context;
import dev.mmcheck.arch.z3.CounterWidths;
import dev.mmcheck.arch.z3.Verdict;
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

    @Test
    void beforeV65PinsCanOverflowTheZeropageAndFromV65TheyCannot() {
        assertEquals(Verdict.Status.FOUND, named("zeropage-pin-overflow-before-6.5").status());
        assertEquals(Verdict.Status.HOLDS, named("zeropage-pin-no-overflow-from-6.5").status());
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
