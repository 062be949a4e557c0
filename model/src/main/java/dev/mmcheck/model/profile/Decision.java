package dev.mmcheck.model.profile;

/**
 * One named choice at a decision point. Every choice says which kernel code it stands for, so a
 * profile can be printed as a list of citations.
 */
public interface Decision {
    /** The spelling used in spec files and on the command line: the enum constant in kebab-case. */
    default String specName() {
        return ((Enum<?>) this).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The kernel function(s), version and commit this choice models. */
    String citation();
}
