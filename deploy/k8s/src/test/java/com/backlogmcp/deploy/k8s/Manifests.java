package com.backlogmcp.deploy.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One rendered overlay: typed access to the objects the checks look at. */
record Manifests(String overlay, List<HasMetadata> objects) {

    static Manifests parse(String overlay, String yaml) {
        return new Manifests(overlay, StrictManifests.parse(yaml));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<Deployment> deployments() {
        return all(Deployment.class);
    }

    List<Service> services() {
        return all(Service.class);
    }

    List<NetworkPolicy> networkPolicies() {
        return all(NetworkPolicy.class);
    }

    List<HorizontalPodAutoscaler> autoscalers() {
        return all(HorizontalPodAutoscaler.class);
    }

    List<PodDisruptionBudget> disruptionBudgets() {
        return all(PodDisruptionBudget.class);
    }

    List<Ingress> ingresses() {
        return all(Ingress.class);
    }

    Optional<ConfigMap> configMap(String name) {
        return all(ConfigMap.class).stream().filter(c -> name.equals(c.getMetadata().getName())).findFirst();
    }

    Optional<Secret> secret(String name) {
        return all(Secret.class).stream().filter(c -> name.equals(c.getMetadata().getName())).findFirst();
    }

    /** Custom resources of one kind (Strimzi, CloudNativePG, ServiceMonitor, ExternalSecret). */
    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    Optional<Deployment> deployment(String name) {
        return deployments().stream().filter(d -> name.equals(d.getMetadata().getName())).findFirst();
    }

    Optional<Service> service(String name) {
        return services().stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst();
    }

    static Map<String, String> podLabels(Deployment d) {
        var labels = d.getSpec().getTemplate().getMetadata() == null ? null : d.getSpec().getTemplate().getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    static Container mainContainer(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** Deployments whose pods carry every label of a plain (equality) selector; none for an empty one. */
    List<Deployment> deploymentsSelectedBy(Map<String, String> selector) {
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        return deployments().stream().filter(d -> podLabels(d).entrySet().containsAll(selector.entrySet())).toList();
    }

    /** Label-selector semantics (matchLabels and matchExpressions) against one label set. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> match = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        if (!labels.entrySet().containsAll(match.entrySet())) {
            return false;
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
        for (LabelSelectorRequirement r : expressions) {
            String value = labels.get(r.getKey());
            List<String> values = r.getValues() == null ? List.of() : r.getValues();
            boolean ok = switch (r.getOperator()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String name(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getName();
    }

    @SuppressWarnings("unchecked")
    static Object path(GenericKubernetesResource r, String... keys) {
        Object current = r.getAdditionalProperties();
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = ((Map<String, Object>) map).get(key);
        }
        return current;
    }

    static String text(GenericKubernetesResource r, String... keys) {
        return Objects.toString(path(r, keys), null);
    }
}
