package io.tributary.common.protocol;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKeyCollection;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKeyCollection;

/**
 * The features (KIP-584) a server advertises in ApiVersions v3+: for each, the range of levels it
 * supports and the level finalized for the cluster, with the epoch of the finalized set. Clients
 * switch protocol behaviour on them (transactions V2 on {@code transaction.version} &ge; 2), and
 * adopt a finalized set only when its epoch is above the one they have seen.
 *
 * @param features       the features; empty advertises none (ApiVersions as before KIP-584)
 * @param finalizedEpoch the finalized features' epoch; -1 when there are none
 */
public record ApiFeatures(List<Feature> features, long finalizedEpoch) {

    /** No features: ApiVersions carries no feature fields. */
    public static final ApiFeatures NONE = new ApiFeatures(List.of(), -1L);

    /** One feature: supported {@code minLevel..maxLevel}, finalized at {@code finalizedLevel}. */
    public record Feature(String name, short minLevel, short maxLevel, short finalizedLevel) {
        public Feature {
            Objects.requireNonNull(name, "name");
            if (minLevel > maxLevel || finalizedLevel < minLevel || finalizedLevel > maxLevel) {
                throw new IllegalArgumentException(
                        name + ": finalized level " + finalizedLevel + " outside " + minLevel + ".." + maxLevel);
            }
        }
    }

    public ApiFeatures {
        features = List.copyOf(features);
    }

    /** Sets the feature fields of an ApiVersions answer (written only in v3+, ignored before). */
    void writeTo(ApiVersionsResponseData response) {
        if (features.isEmpty()) {
            return;
        }
        SupportedFeatureKeyCollection supported = new SupportedFeatureKeyCollection(features.size());
        FinalizedFeatureKeyCollection finalized = new FinalizedFeatureKeyCollection(features.size());
        for (Feature feature : features) {
            supported.add(new SupportedFeatureKey()
                    .setName(feature.name())
                    .setMinVersion(feature.minLevel())
                    .setMaxVersion(feature.maxLevel()));
            finalized.add(new FinalizedFeatureKey()
                    .setName(feature.name())
                    .setMinVersionLevel(feature.finalizedLevel())
                    .setMaxVersionLevel(feature.finalizedLevel()));
        }
        response.setSupportedFeatures(supported)
                .setFinalizedFeatures(finalized)
                .setFinalizedFeaturesEpoch(finalizedEpoch);
    }
}
