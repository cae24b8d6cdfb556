package io.backtrack.e2e.cluster;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which local command stands in for a container image's entrypoint.
 *
 * @param matcher       tested against the image's repository (the reference without tag or digest, e.g.
 *                      {@code ghcr.io/acme/backtrack-agent} for {@code ghcr.io/acme/backtrack-agent:1.2@sha256:…})
 * @param commandPrefix the entrypoint: the container's {@code args} are appended to it, and its
 *                      {@code command}, when set, replaces it (as in Kubernetes)
 * @param description   for messages
 */
public record ImageMapping(Predicate<String> matcher, List<String> commandPrefix, String description) {

    public ImageMapping {
        Objects.requireNonNull(matcher, "matcher");
        commandPrefix = List.copyOf(commandPrefix);
        Objects.requireNonNull(description, "description");
    }

    /** Images whose repository ends with {@code suffix}: {@code backtrack-agent} matches {@code ghcr.io/x/backtrack-agent:1}. */
    public static ImageMapping repositoryEndsWith(String suffix, List<String> commandPrefix) {
        return new ImageMapping(repo -> repo.endsWith(suffix), commandPrefix, "repository ending with " + suffix);
    }

    /** Images whose repository is exactly {@code repository} (any tag or digest). */
    public static ImageMapping repository(String repository, List<String> commandPrefix) {
        return new ImageMapping(repository::equals, commandPrefix, "repository " + repository);
    }

    boolean matches(String image) {
        return matcher.test(repositoryOf(image));
    }

    /** Strips the digest and the tag (a colon after the last slash; a registry port is not a tag). */
    public static String repositoryOf(String image) {
        String ref = image.trim();
        int at = ref.indexOf('@');
        if (at >= 0) {
            ref = ref.substring(0, at);
        }
        int colon = ref.lastIndexOf(':');
        if (colon > ref.lastIndexOf('/')) {
            ref = ref.substring(0, colon);
        }
        return ref;
    }
}
