package com.backlogmcp.deploy.k8s;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates the rendered NetworkPolicies the way a CNI does: traffic from A to B on a port flows iff
 * B's ingress policies (if any select B) allow it from A and A's egress policies (if any select A)
 * allow it to B. Enough of the semantics for our policies: pod and namespace selectors, ports
 * (numbers and names), ipBlock peers count as "outside the cluster".
 */
final class NetworkReachability {

    /** A pod as the policies see it. {@code namespace == null} is a client outside the cluster. */
    record Pod(String namespace, Map<String, String> labels, Map<String, Integer> namedPorts) {
        static Pod outside() {
            return new Pod(null, Map.of(), Map.of());
        }

        boolean isOutside() {
            return namespace == null;
        }
    }

    private final List<NetworkPolicy> policies;

    NetworkReachability(List<NetworkPolicy> policies) {
        this.policies = policies;
    }

    boolean allows(Pod from, Pod to, int port, String protocol) {
        return ingressAllows(from, to, port, protocol) && egressAllows(from, to, port, protocol);
    }

    private boolean ingressAllows(Pod from, Pod to, int port, String protocol) {
        if (to.isOutside()) {
            return true;
        }
        List<NetworkPolicy> applying = applying(to, "Ingress");
        if (applying.isEmpty()) {
            return true;
        }
        return applying.stream().anyMatch(p -> p.getSpec().getIngress() != null && p.getSpec().getIngress().stream()
                .anyMatch(rule -> peersMatch(rule.getFrom(), from, p) && portsMatch(rule.getPorts(), port, protocol, to)));
    }

    private boolean egressAllows(Pod from, Pod to, int port, String protocol) {
        if (from.isOutside()) {
            return true;
        }
        List<NetworkPolicy> applying = applying(from, "Egress");
        if (applying.isEmpty()) {
            return true;
        }
        return applying.stream().anyMatch(p -> p.getSpec().getEgress() != null && p.getSpec().getEgress().stream()
                .anyMatch(rule -> peersMatch(rule.getTo(), to, p) && portsMatch(rule.getPorts(), port, protocol, to)));
    }

    private List<NetworkPolicy> applying(Pod pod, String direction) {
        return policies.stream()
                .filter(p -> Objects.equals(p.getMetadata().getNamespace(), pod.namespace()))
                .filter(p -> Manifests.matches(p.getSpec().getPodSelector(), pod.labels()))
                .filter(p -> types(p).contains(direction))
                .toList();
    }

    /** policyTypes defaults: Ingress always, Egress when egress rules are present. */
    private static List<String> types(NetworkPolicy p) {
        if (p.getSpec().getPolicyTypes() != null && !p.getSpec().getPolicyTypes().isEmpty()) {
            return p.getSpec().getPolicyTypes();
        }
        return p.getSpec().getEgress() != null && !p.getSpec().getEgress().isEmpty() ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    private static boolean peersMatch(List<NetworkPolicyPeer> peers, Pod pod, NetworkPolicy policy) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                if (pod.isOutside()) {
                    return true;
                }
                continue;
            }
            if (pod.isOutside()) {
                continue;
            }
            boolean namespaceOk = peer.getNamespaceSelector() == null
                    ? Objects.equals(pod.namespace(), policy.getMetadata().getNamespace())
                    : Manifests.matches(peer.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", pod.namespace()));
            boolean podOk = peer.getPodSelector() == null || Manifests.matches(peer.getPodSelector(), pod.labels());
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean portsMatch(List<NetworkPolicyPort> ports, int port, String protocol, Pod to) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPort p : ports) {
            String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
            if (!proto.equals(protocol)) {
                continue;
            }
            IntOrString value = p.getPort();
            if (value == null) {
                return true;
            }
            Integer number = value.getIntVal() != null ? value.getIntVal() : to.namedPorts().get(value.getStrVal());
            if (number == null) {
                continue;
            }
            int end = p.getEndPort() == null ? number : p.getEndPort();
            if (port >= number && port <= end) {
                return true;
            }
        }
        return false;
    }
}
