package dev.mmcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmcheck.model.profile.Release;
import dev.mmcheck.model.rules.KernelNames;
import org.junit.jupiter.api.Test;

/** Traces speak the vocabulary of the release being checked. */
class KernelNamesTest {

    @Test
    void aFunctionKeepsItsOldNameBeforeItsRenameAndTakesTheNewOneFromIt() {
        String path = "try_to_unmap_one P0 A: page_try_share_anon_rmap fails (maybe pinned), restore PTE, abort";
        assertEquals(path, KernelNames.inRelease(path, Release.parse("v6.5")));
        assertEquals("try_to_unmap_one P0 A: folio_try_share_anon_rmap_pte fails (maybe pinned), restore PTE, abort",
                KernelNames.inRelease(path, Release.parse("v6.8")));
        assertEquals("shrink_page_list(folio#0)", KernelNames.inRelease("shrink_page_list(folio#0)", Release.parse("v6.0")));
        assertEquals("shrink_folio_list(folio#0)", KernelNames.inRelease("shrink_page_list(folio#0)", Release.parse("v7.1")));
    }

    @Test
    void onlyWholeIdentifiersAreRenamed() {
        assertEquals("my_try_grab_page_x", KernelNames.inRelease("my_try_grab_page_x", Release.parse("v7.1")));
    }

    @Test
    void releasesAreOrderedAsTheKernelsHistory() {
        assertEquals(-1, Integer.signum(Release.parse("v5.9").compareTo(Release.parse("v5.18"))));
        assertEquals(1, Integer.signum(Release.parse("v6.1").compareTo(Release.parse("v5.19"))));
    }
}
