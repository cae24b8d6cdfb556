package io.backtrack.controller.job;

import io.backtrack.contract.args.AgentMounts;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

import java.nio.file.Path;
import java.util.Map;

/**
 * Keys of one Secret mounted as files into the agent container: read-only, mode 0400 (the Pod's fsGroup lets the
 * agent's user read them), only the keys named, so nothing else the Secret holds reaches the Pod.
 *
 * @param name   the volume's name in the Pod
 * @param secret the Secret's name, in the owner's namespace
 * @param files  Secret key to the file's absolute path; all files of one mount share its directory
 *               ({@link AgentMounts})
 */
public record SecretMount(String name, String secret, Map<String, String> files) {

    public SecretMount {
        files = Map.copyOf(files);
        if (files.values().stream().map(f -> Path.of(f).getParent()).distinct().count() != 1) {
            throw new IllegalArgumentException("the files of one Secret mount share a directory: " + files);
        }
    }

    public String directory() {
        return Path.of(files.values().iterator().next()).getParent().toString();
    }

    Volume volume() {
        VolumeBuilder v = new VolumeBuilder().withName(name);
        var secretVolume = v.withNewSecret().withSecretName(secret).withDefaultMode(AgentMounts.FILE_MODE)
                .withOptional(false);
        files.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> secretVolume.addNewItem()
                .withKey(e.getKey()).withPath(Path.of(e.getValue()).getFileName().toString()).endItem());
        return secretVolume.endSecret().build();
    }

    VolumeMount mount() {
        return new VolumeMountBuilder().withName(name).withMountPath(directory()).withReadOnly(true).build();
    }
}
