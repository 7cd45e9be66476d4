package io.tributary.spring.test.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.testcontainers.utility.DockerImageName;

/**
 * The four images a {@link TributaryCluster} runs, as the build makes them with Jib
 * ({@code mvn -Pimages package}, then {@code docker load -i …/jib-image.tar}):
 * {@code <repository>/zookeeper}, {@code /metadata-service}, {@code /broker-service} and
 * {@code /group-coordinator}, by default {@code tributary/…:<this jar's version>}. Immutable.
 *
 * @param zookeeper        the ZooKeeper image
 * @param metadataService  the metadata-service image
 * @param broker           the broker image
 * @param groupCoordinator the group-coordinator image
 */
public record TributaryImages(
        DockerImageName zookeeper,
        DockerImageName metadataService,
        DockerImageName broker,
        DockerImageName groupCoordinator) {

    /** The repository part of the default image names. */
    public static final String DEFAULT_REPOSITORY = "tributary";

    /** {@code tributary/<name>:<version of this jar>}. */
    public static TributaryImages defaults() {
        return of(DEFAULT_REPOSITORY, defaultTag());
    }

    /** {@code <repository>/<name>:<tag>} for each of the four images. */
    public static TributaryImages of(String repository, String tag) {
        return new TributaryImages(
                image(repository, "zookeeper", tag),
                image(repository, "metadata-service", tag),
                image(repository, "broker-service", tag),
                image(repository, "group-coordinator", tag));
    }

    /** The same names under another repository ({@code registry.example.com/tributary}). */
    public TributaryImages withRepository(String repository) {
        return of(repository, broker.getVersionPart());
    }

    /** The same names with another tag. */
    public TributaryImages withTag(String tag) {
        return new TributaryImages(
                zookeeper.withTag(tag),
                metadataService.withTag(tag),
                broker.withTag(tag),
                groupCoordinator.withTag(tag));
    }

    private static DockerImageName image(String repository, String name, String tag) {
        return DockerImageName.parse(repository + "/" + name).withTag(tag);
    }

    static String defaultTag() {
        try (InputStream in = TributaryImages.class.getResourceAsStream("tributary-images.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            String tag = properties.getProperty("tag", "");
            if (tag.isEmpty() || tag.startsWith("@")) {
                throw new IllegalStateException("tributary-images.properties holds no image tag (a build without"
                        + " resource filtering?); give the images with TributaryImages.of(repository, tag)");
            }
            return tag;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
