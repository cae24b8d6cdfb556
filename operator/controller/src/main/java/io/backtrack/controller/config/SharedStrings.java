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
 * Strings read from the API server are shared (JVM-interned): informer caches hold every Backup, and in a cluster
 * with thousands of them most values repeat (namespace, Secret and key names, endpoint, bucket, host, label values,
 * condition types and reasons) and each Backup a schedule made is cached twice. Status messages are shared too: a
 * resource's message stands in its status and in each of its four conditions, five copies of up to a few hundred
 * characters per Backup once parsed, the largest part of a waiting Backup in the cache (docs/performance.md,
 * operator at scale). Interned strings are collected once nothing refers to them; only strings longer than any
 * message or termination log (annotations such as kubectl's last-applied configuration) are left alone, as they
 * never repeat and would cost a hash of every character.
 */
@Singleton
public class SharedStrings implements KubernetesClientObjectMapperCustomizer {
    static final int MAX_SHARED_LENGTH = 4096;

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
