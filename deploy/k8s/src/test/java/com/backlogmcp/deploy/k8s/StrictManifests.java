package com.backlogmcp.deploy.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses rendered manifests against the fabric8 Kubernetes model, strictly: a field the API does
 * not know (a typo such as {@code livenesProbe}) fails the parse instead of being silently dropped
 * by the API server's pruning. Kinds without a fabric8 model are accepted only from the operator
 * APIs we deploy (Strimzi, CloudNativePG, Prometheus Operator, External Secrets), as generic objects.
 */
final class StrictManifests {

    /** The built-in kinds we deploy, each with its one served API version. */
    private static final Map<String, Class<? extends HasMetadata>> MODELS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/Service", Service.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "networking.k8s.io/v1/Ingress", Ingress.class);

    /** Custom resources of the operators we depend on; parsed as generic objects. */
    static final Set<String> CUSTOM_RESOURCES = Set.of(
            "kafka.strimzi.io/v1beta2/Kafka",
            "kafka.strimzi.io/v1beta2/KafkaNodePool",
            "kafka.strimzi.io/v1beta2/KafkaTopic",
            "postgresql.cnpg.io/v1/Cluster",
            "postgresql.cnpg.io/v1/ScheduledBackup",
            "monitoring.coreos.com/v1/ServiceMonitor",
            "external-secrets.io/v1/ExternalSecret");

    private static final YAMLMapper YAML = YAMLMapper.builder(
                    YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .build();

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .addModule(new SimpleModule("no-additional-properties").setDeserializerModifier(new RejectAdditionalProperties()))
            .build();

    private StrictManifests() {
    }

    /** Every document of a multi-document YAML stream, each as its fabric8 model object. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            int index = 0;
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                index++;
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                objects.add(parseOne(doc, index));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ManifestException manifest) {
                throw manifest;
            }
            // MappingIterator reports YAML errors (duplicate keys, bad indentation) as unchecked exceptions.
            throw new ManifestException("manifests are not valid YAML: " + e.getMessage(), e);
        }
        return objects;
    }

    private static HasMetadata parseOne(JsonNode doc, int index) {
        String apiVersion = doc.path("apiVersion").asText("");
        String kind = doc.path("kind").asText("");
        String name = doc.path("metadata").path("name").asText("?");
        String type = apiVersion + "/" + kind;
        Class<? extends HasMetadata> model = MODELS.get(type);
        if (model == null && !CUSTOM_RESOURCES.contains(type)) {
            throw new ManifestException("document " + index + " (" + name + "): no strict model for " + type
                    + "; add it to StrictManifests if it is really meant to be deployed");
        }
        try {
            Class<? extends HasMetadata> target = model != null ? model : GenericKubernetesResource.class;
            HasMetadata parsed = STRICT.treeToValue(doc, target);
            if (parsed.getMetadata() == null || parsed.getMetadata().getName() == null) {
                throw new ManifestException("document " + index + " (" + type + ") has no metadata.name");
            }
            return parsed;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ManifestException(type + " " + name + " does not match the Kubernetes schema: " + e.getOriginalMessage()
                    + " at " + e.getLocation(), e);
        }
    }

    /**
     * fabric8's model classes collect unknown fields in an "additionalProperties" map, which would
     * make FAIL_ON_UNKNOWN_PROPERTIES a no-op; removing that any-setter restores strictness. Only the
     * generic custom-resource holder keeps it, because that map is where its whole content lives.
     */
    private static final class RejectAdditionalProperties extends BeanDeserializerModifier {
        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                                                     BeanDeserializerBuilder builder) {
            Class<?> type = description.getBeanClass();
            if (type.getName().startsWith("io.fabric8.") && !GenericKubernetesResource.class.isAssignableFrom(type)) {
                builder.setAnySetter(null);
            }
            return builder;
        }
    }

    /** A manifest that is malformed or does not match its schema. */
    static final class ManifestException extends RuntimeException {
        ManifestException(String message) {
            super(message);
        }

        ManifestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
