package dev.mmcheck.lib.sweep;

import dev.mmcheck.lib.Lookup;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import dev.mmcheck.model.profile.Release;
import dev.mmcheck.model.profile.Timeline;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The lists a sweep takes on the command line: releases ({@code all}, {@code v5.7..v6.2}, {@code v5.7,v5.9}, or a
 * mixture) and integer ranges ({@code 3..5}, {@code 3,5}). A bad list is a {@link Lookup.UnknownName} whose message
 * says what is expected.
 */
public final class Ranges {
    private Ranges() {
    }

    /** Releases in the order given (a range in timeline order), each once; {@code all} is every release on the timeline. */
    public static List<Profile> profiles(String list) {
        Set<Profile> out = new LinkedHashSet<>();
        for (String item : items(list, "a release list")) {
            if (item.equals("all")) {
                out.addAll(Profiles.ALL);
            } else if (item.contains("..")) {
                String[] ends = item.split("\\.\\.", -1);
                if (ends.length != 2) throw new Lookup.UnknownName("'" + item + "' is not a range of releases; expected e.g. v5.7..v6.2");
                Release from = release(ends[0]);
                Release to = release(ends[1]);
                if (from.compareTo(to) > 0) throw new Lookup.UnknownName("'" + item + "' is an empty range: " + from + " is after " + to);
                for (Release r : Timeline.RELEASES) {
                    if (r.compareTo(from) >= 0 && r.compareTo(to) <= 0) out.add(Timeline.at(r));
                }
            } else {
                out.add(Lookup.profile(item));
            }
        }
        return List.copyOf(out);
    }

    private static Release release(String tag) {
        return Timeline.release(tag).orElseThrow(() -> new Lookup.UnknownName("unknown release '" + tag + "'; expected "
                + Timeline.OLDEST + ".." + Timeline.NEWEST));
    }

    /** Integers in {@code min..max}, ascending, each once. */
    public static List<Integer> ints(String list, int min, int max) {
        Set<Integer> out = new java.util.TreeSet<>();
        for (String item : items(list, "a list of numbers")) {
            String[] ends = item.split("\\.\\.", -1);
            if (ends.length > 2) throw new Lookup.UnknownName("'" + item + "' is not a number or a range; expected e.g. 3..5 or 3,5");
            int from = number(ends[0], min, max);
            int to = ends.length == 2 ? number(ends[1], min, max) : from;
            if (from > to) throw new Lookup.UnknownName("'" + item + "' is an empty range");
            for (int i = from; i <= to; i++) out.add(i);
        }
        return List.copyOf(out);
    }

    private static int number(String s, int min, int max) {
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Lookup.UnknownName("'" + s + "' is not a number in " + min + ".." + max);
    }

    private static List<String> items(String list, String what) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",", -1)) {
            if (s.isBlank()) throw new Lookup.UnknownName("'" + list + "' has an empty item; expected " + what + " separated by commas");
            out.add(s.trim());
        }
        return out;
    }
}
