package dev.mmcheck.model.profile;

import java.util.List;
import java.util.Optional;

/**
 * The kernel releases the model knows: every mainline release on the {@link Timeline} (v4.8 to the newest read), each
 * the timeline read up to its tag. Six of them are the named eras the specs and the history were written against.
 */
public final class Profiles {
    private Profiles() {
    }

    /** mapcount-based reuse; fork shares pinned pages; GUP never breaks COW for reads. */
    public static final Profile V5_7 = Timeline.at(Release.parse("v5.7"));
    /** 17839856fd58: GUP of a COW mapping breaks COW ("COW can break either way"). */
    public static final Profile V5_8 = Timeline.at(Release.parse("v5.8"));
    /** 09854ba94c6a page_count reuse; a308c71bf1e6 reverts the GUP COW break; 70e806e4e645 early COW at fork. */
    public static final Profile V5_9 = Timeline.at(Release.parse("v5.9"));
    /** feb889fb40fa and 9348b73c2e1b (v5.11); COW fixes part 1 (c145e0b47c77 and friends). */
    public static final Profile V5_18 = Timeline.at(Release.parse("v5.18"));
    /** COW fixes part 2: PG_anon_exclusive (6c287605fd56), unshare on R/O pin, swp exclusive bit. */
    public static final Profile V5_19 = Timeline.at(Release.parse("v5.19"));
    /** The release before the newest read: everything through v6.11's swap-in and zeropage changes. */
    public static final Profile V7_0 = Timeline.at(Release.parse("v7.0"));

    /** The six named eras, as `profiles` lists them first. */
    public static final List<Profile> ERAS = List.of(V5_7, V5_8, V5_9, V5_18, V5_19, V7_0);

    /** Every release on the timeline, oldest first. */
    public static final List<Profile> ALL = Timeline.RELEASES.stream().map(Timeline::at).toList();

    public static final Profile NEWEST = Timeline.at(Timeline.NEWEST);

    public static Optional<Profile> named(String name) {
        return Timeline.release(name).map(Timeline::at);
    }
}
