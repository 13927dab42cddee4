package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.ArtifactSink;
import io.octohost.app.BuildControl;
import io.octohost.app.Progress;
import io.octohost.app.Release;
import io.octohost.build.ImageBuilder;
import io.octohost.build.ImageSandbox;
import io.octohost.registry.ImagePublisher;
import io.octohost.registry.Registries;
import io.octohost.route.Router;
import io.octohost.run.ContainerRunner;
import io.octohost.source.Source;
import io.octohost.source.SourceArchive;
import io.octohost.source.SourceFetcher;
import io.octohost.state.AppClaims;
import io.octohost.state.AppConfigs;
import io.octohost.state.ClusterLocks;
import io.octohost.state.Releases;
import io.octohost.state.StateStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;

/**
 * Every change of what runs, as a list of named steps: the table of contents of a deploy. Every way
 * in (a git push, a build over the API, the config, domains, scale, restart, rollback and destroy
 * commands) comes here. Until the route switch the running version is untouched; a failed step
 * undoes it and every step before it, in reverse, and nothing is stored. The app's lock is held from
 * the first step to the end. A build can be stopped (cancelled, timed out) until it is sealed, right
 * before the switch.
 */
public final class Pipeline {
    private final AppConfigs configs;
    private final Releases releases;
    private final AppClaims claims;
    private final ImageBuilder images;
    private final ImageSandbox sandbox;
    private final SourceFetcher sources;
    private final Registries registries;
    private final ContainerRunner runner;
    private final DeploySettings settings;
    private final ImageRetention retention;
    private final AppLocks locks;
    private final Step acquireAppLock;
    private final Step checkDisk;
    private final Step takeBuildSlot;
    private final Step sealBuild = new SealBuild();
    private final Step publishImage;
    private final Step currentImage;
    private final Step startContainers;
    private final Step awaitHealthy;
    private final Step switchRoute;
    private final Step recordRelease;
    private final Step storeConfig;
    private final Step drain;
    private final Step retainImages;
    private final Step reroute;
    private final Step rerouteWhenChanged;
    private final List<Step> removeApp;
    private final ReleaseSources releaseSources;
    private final Step archiveSource;
    private final Step retainArchives;

    public Pipeline(ImageBuilder images, SourceFetcher sources, Registries registries, ContainerRunner runner, Router router,
                    ImagePublisher publisher, StateStore store, AppConfigs configs, Releases releases, AppClaims claims,
                    ClusterLocks clusterLocks, DeploySettings settings, ImageSandbox sandbox, SourceArchive archive) {
        this.locks = new AppLocks(clusterLocks);
        this.sandbox = sandbox;
        this.runner = runner;
        this.configs = configs;
        this.releases = releases;
        this.claims = claims;
        this.images = images;
        this.sources = sources;
        this.registries = registries;
        this.settings = settings;
        this.takeBuildSlot = new TakeBuildSlot(new Semaphore(settings.maxParallelBuilds(), true), settings.maxParallelBuilds());
        this.retention = new ImageRetention(images, releases, settings.keepReleases());
        this.acquireAppLock = new AcquireAppLock(locks);
        this.checkDisk = new CheckDisk(settings);
        this.publishImage = new PublishImage(publisher);
        this.currentImage = new CurrentImage(releases);
        this.startContainers = new StartContainers(runner, router);
        this.awaitHealthy = new AwaitHealthy(router, settings.readyTimeout());
        this.switchRoute = new SwitchRoute(router);
        this.recordRelease = new RecordRelease(store, configs, releases, settings);
        this.storeConfig = new StoreConfig(store, configs);
        this.drain = new Drain(new Drainer(runner, settings.drainGrace(), settings.stopTimeout()));
        this.retainImages = new RetainImages(retention);
        this.reroute = new Reroute(router, configs, false);
        this.rerouteWhenChanged = new Reroute(router, configs, true);
        this.releaseSources = new ReleaseSources(archive, releases, settings.keepReleases());
        this.archiveSource = new ArchiveSource(releaseSources);
        this.retainArchives = new RetainArchives(releaseSources);
        this.removeApp = List.of(new Unroute(router), new RemoveContainers(runner), new RemoveImages(images),
                new ForgetApp(store, claims, releases), new ForgetArchives(releaseSources));
    }

    /**
     * Builds a pushed branch as its build file says, runs its stages, keeps its artifacts, and makes
     * it the app's new release; returns once nginx serves it.
     */
    public Release push(Push push, Progress progress, BuildControl control, ArtifactSink artifacts) {
        Deploy deploy = deploy(push.app(), progress, control, push.by(), "push " + push.tree().commit().shortSha());
        deploy.tree(push.tree());
        run(deploy, acquireAppLock, new CheckBranch(push.branch()), new ClaimApp(claims, configs, push.owner()),
                checkDisk, takeBuildSlot,
                new ReadConfig(configs, new Cname(push.app(), deploy::tree, configs)),
                new ReadBuildFile(push.owner().branch()), new BuildImage(images, configs, retention, Map.of()),
                new RunStages(sandbox), new KeepArtifacts(sandbox, artifacts), publishImage,
                startContainers, awaitHealthy, archiveSource, sealBuild, switchRoute, recordRelease, new MoveBranch(push.branch()), drain,
                retainImages, retainArchives);
        return deploy.release();
    }

    /**
     * Builds a source that was not pushed (a tarball, a git URL) or pulls an image to run as it is,
     * pushes it to the build's destination, and makes it the app's new release. A source's build file
     * is read for the branch of the app (master for an app no branch deploys).
     */
    public Release build(SourceBuild build, Progress progress, BuildControl control, ArtifactSink artifacts) {
        Deploy deploy = deploy(build.app(), progress, control, build.by(), build.description());
        List<Step> steps = new ArrayList<>(List.of(acquireAppLock));
        if (build.source() instanceof Source.Image image) {
            steps.addAll(List.of(takeBuildSlot, new ReadConfig(configs, ConfigEdit.NONE), new PullImage(image.image(), registries)));
        } else {
            steps.addAll(List.of(checkDisk, takeBuildSlot, new FetchSource(build.source(), sources),
                    new ReadConfig(configs, new Cname(build.app(), deploy::tree, configs)),
                    new ReadBuildFile(claims.owner(build.app()).map(AppClaims.Owner::branch).orElse("master")),
                    new BuildImage(images, configs, retention, build.arguments()),
                    new RunStages(sandbox), new KeepArtifacts(sandbox, artifacts)));
        }
        steps.add(publishImage);
        build.destination().ifPresent(to -> steps.add(new PushImage(to, registries)));
        steps.addAll(List.of(startContainers, awaitHealthy, archiveSource, sealBuild, switchRoute, recordRelease, drain, retainImages,
                retainArchives));
        run(deploy, steps.toArray(Step[]::new));
        return deploy.release();
    }

    /** A pushed branch deletion: removes the app the branch deploys (if the branch owns it), then the branch. */
    public void deleteBranch(AppName app, AppClaims.Owner owner, BranchUpdate branch, Progress progress) {
        run(deploy(app, progress, owner.branch(), "delete"), acquireAppLock, new CheckBranch(branch),
                Step.either(d -> claims.owner(app).filter(owner::equals).isPresent(), removeApp, List.of()),
                new MoveBranch(branch));
    }

    /**
     * Changes the app's keys. With {@code restart}, and once the app has a release, the change is a
     * release: the current image with the new keys, stored only once it runs. Else they are just stored.
     */
    public void changeConfig(AppName app, ConfigEdit edit, boolean restart, String by, String description, Progress progress) {
        run(deploy(app, progress, by, description), acquireAppLock, new ReadConfig(configs, edit),
                Step.either(d -> restart && releases.current(app).isPresent(),
                        List.of(currentImage, startContainers, awaitHealthy, switchRoute, recordRelease, drain, retainImages, retainArchives),
                        List.of(storeConfig)));
    }

    /** Points nginx at the app's running containers with the new domains, without restarting them, and stores them. */
    public void changeDomains(AppName app, ConfigEdit edit, Progress progress) {
        run(deploy(app, progress, "", "domains"), acquireAppLock, new ReadConfig(configs, edit), reroute, storeConfig);
    }

    /** Routes the app's domains as stored now, when they differ from what nginx serves (DOMAINS edited in Consul). */
    public boolean followDomains(AppName app) {
        Deploy deploy = deploy(app, Progress.SILENT, "", "domains");
        run(deploy, acquireAppLock, new ReadConfig(configs, ConfigEdit.NONE), rerouteWhenChanged);
        return deploy.previousRoute().isPresent();
    }

    /** Runs an earlier release's image with that release's config, as a new release; no build. */
    public Release rollback(AppName app, OptionalInt target, String by, Progress progress) {
        Deploy deploy = deploy(app, progress, by, "rollback");
        run(deploy, acquireAppLock, new PickRelease(target, releases, runner, configs, settings.keepReleases()),
                startContainers, awaitHealthy, switchRoute, recordRelease, drain, retainImages, retainArchives);
        return deploy.release();
    }

    /** Removes one app: its route, containers, images and records. Nothing of any other app. */
    public void destroy(AppName app, Progress progress) {
        List<Step> steps = new ArrayList<>(List.of(acquireAppLock));
        steps.addAll(removeApp);
        Steps.run(deploy(app, progress, "", "destroy"), steps);
    }

    /** The app locks every deploy holds, for background work that must leave busy apps alone. */
    AppLocks locks() {
        return locks;
    }

    ImageRetention retention() {
        return retention;
    }

    /** The source each release was built from. */
    public ReleaseSources sources() {
        return releaseSources;
    }

    private Deploy deploy(AppName app, Progress progress, String by, String description) {
        return deploy(app, progress, BuildControl.none(), by, description);
    }

    private Deploy deploy(AppName app, Progress progress, BuildControl control, String by, String description) {
        return new Deploy(app, progress, control, by, description, () -> releases.next(app));
    }

    /** Runs the steps; a deploy that timed any prints how long each took, last. */
    private static void run(Deploy deploy, Step... steps) {
        Steps.run(deploy, Arrays.asList(steps));
        if (!deploy.timings().isEmpty()) {
            deploy.progress().stage("timings: " + deploy.timings());
        }
    }
}
