package io.backtrack.controller.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Short strings read from the API server are shared (JVM-interned): informer caches hold every Backup, and in a
 * cluster with thousands of them most values repeat (namespace, Secret and key names, endpoint, bucket, host,
 * label values, condition types and reasons) and each Backup a schedule made is cached twice. Interned strings are
 * collected once nothing refers to them; long ones (messages, termination logs) are left alone.
 */
@Singleton
public class SharedStrings implements KubernetesClientObjectMapperCustomizer {
    static final int MAX_SHARED_LENGTH = 64;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("backtrack-shared-strings").addDeserializer(String.class, new Deserializer()));
    }

    static String share(String s) {
        return s != null && s.length() <= MAX_SHARED_LENGTH ? s.intern() : s;
    }

    static final class Deserializer extends StdScalarDeserializer<String> {
        Deserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext context) throws IOException {
            return share(StringDeserializer.instance.deserialize(p, context));
        }
    }
}
