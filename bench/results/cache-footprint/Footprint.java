import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.backtrack.api.backup.Backup;
import io.backtrack.controller.cache.WithoutManagedFields;
import io.backtrack.controller.job.JobCache;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import org.openjdk.jol.info.GraphLayout;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * Bytes an informer cache retains per Backup, Job and Pod: 2,000 of each, read from this directory's JSON (taken from
 * the sandbox's real API server) with names, uids and times varied, put in the store, walked with JOL. One-off; see
 * README.md for how to run it. {@code before}: the stores and string interning of commit cec46c3; {@code now}: the
 * operator's classes on the class path.
 */
public class Footprint {
    private static final int N = 2000;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        String backup = Files.readString(dir.resolve("backup.json"));
        String job = Files.readString(dir.resolve("job.json"));
        String pod = Files.readString(dir.resolve("pod.json"));
        IntFunction<String> backups = i -> backup.replace("pend", "pend" + i).replace("b88f-50717308a4a6", String.format("%017d", i))
                .replace("\"449\"", "\"" + (1000 + i) + "\"").replace("357615623", String.format("%09d", i * 7919));
        IntFunction<String> jobs = i -> job.replace("pend", "pend" + i).replace("8c09-e23b2b882155", String.format("%017d", i))
                .replace("\"445\"", "\"" + (3000 + i) + "\"");
        IntFunction<String> pods = i -> pod.replace("pend", "pend" + i);
        if (args[0].equals("before")) {
            KubernetesSerialization read = new KubernetesSerialization(interning(64), true);
            print("Backup", perItem(new TransformingItemStore<Backup>(b -> {
                b.getMetadata().setManagedFields(null);
                return b;
            }), read, backups, Backup.class));
            print("Job", perItem(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Job.class,
                    new KubernetesSerialization(), "metadata.uid", "metadata.labels", "metadata.ownerReferences",
                    "metadata.deletionTimestamp", "spec.activeDeadlineSeconds", "status"), read, jobs, Job.class));
            print("Pod", perItem(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Pod.class,
                    new KubernetesSerialization(), "metadata.ownerReferences", "metadata.creationTimestamp",
                    "metadata.deletionTimestamp", "spec.nodeName", "status.phase", "status.startTime",
                    "status.conditions", "status.containerStatuses"), read, pods, Pod.class));
        } else {
            ObjectMapper mapper = new ObjectMapper();
            ((KubernetesClientObjectMapperCustomizer) Class.forName("io.backtrack.controller.config.SharedStrings")
                    .getDeclaredConstructor().newInstance()).customize(mapper);
            KubernetesSerialization read = new KubernetesSerialization(mapper, true);
            print("Backup", perItem(new WithoutManagedFields.Backups(), read, backups, Backup.class));
            print("Job", perItem(JobCache.reduced(), read, jobs, Job.class));
            Method kept = Class.forName("io.backtrack.controller.job.AgentPods").getDeclaredMethod("kept", Pod.class);
            kept.setAccessible(true);
            print("Pod", perItem(new TransformingItemStore<Pod>(p -> {
                try {
                    return (Pod) kept.invoke(null, p);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }), read, pods, Pod.class));
        }
    }

    private static <T extends HasMetadata> long perItem(ItemStore<T> store, KubernetesSerialization read,
                                                        IntFunction<String> json, Class<T> type) {
        long empty = GraphLayout.parseInstance(store).totalSize();
        for (int i = 0; i < N; i++) {
            T item = read.unmarshal(json.apply(i), type);
            store.put(store.getKey(item), item);
        }
        return (GraphLayout.parseInstance(store).totalSize() - empty) / N;
    }

    private static void print(String what, long bytes) {
        System.out.printf("%s: %d bytes per cached object%n", what, bytes);
    }

    private static ObjectMapper interning(int maxLength) {
        return new ObjectMapper().registerModule(new SimpleModule().addDeserializer(String.class,
                new StdScalarDeserializer<String>(String.class) {
                    @Override
                    public String deserialize(JsonParser p, DeserializationContext c) throws IOException {
                        String s = StringDeserializer.instance.deserialize(p, c);
                        return s != null && s.length() <= maxLength ? s.intern() : s;
                    }
                }));
    }
}
