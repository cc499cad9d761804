// The Android library module (AAR): the Kotlin facade, the generated UniFFI bindings and the
// native library built by cargo-ndk for arm64-v8a, armeabi-v7a and x86_64.
//
// NOT RUN: the machines this was written on have no Android SDK, NDK or Gradle. The JVM build
// (pom.xml, scripts/test-kotlin.sh) compiles the same Kotlin sources (src/main, src/generated,
// src/androidMain) against Robolectric's android-all jar and tests them under Robolectric. The
// Compose walker (src/composeMain) is compiled in against Compose as compileOnly: an app without
// Compose never loads it (the view walker looks it up by name only when it meets an
// AndroidComposeView); compose/pom.xml compiles and tests it against Compose desktop.

plugins {
    id("com.android.library") version "8.7.3"
    id("org.jetbrains.kotlin.android") version "2.1.20"
}

android {
    namespace = "dev.reprise"
    compileSdk = 35
    defaultConfig {
        minSdk = 24
        consumerProguardFiles("consumer-rules.pro")
    }
    sourceSets["main"].java.srcDirs("src/main/kotlin", "src/generated/kotlin", "src/androidMain/kotlin", "src/composeMain/kotlin")
    sourceSets["main"].jniLibs.srcDirs(layout.buildDirectory.dir("rustJniLibs"))
    sourceSets["main"].manifest.srcFile("src/androidMain/AndroidManifest.xml")
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
}

dependencies {
    implementation("net.java.dev.jna:jna:5.17.0@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.10.2")
    // The semantics API only (no @Composable code here, so no Compose compiler plugin).
    compileOnly("androidx.compose.ui:ui:1.7.8")
}

// cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -o build/rustJniLibs build --release -p reprise-ffi
val cargoNdk by tasks.registering(Exec::class) {
    workingDir = rootProject.projectDir.parentFile ?: rootProject.projectDir
    commandLine(
        "cargo", "ndk",
        "-t", "arm64-v8a", "-t", "armeabi-v7a", "-t", "x86_64",
        "--platform", "24",
        "-o", layout.buildDirectory.dir("rustJniLibs").get().asFile.absolutePath,
        "build", "--release", "--locked", "-p", "reprise-ffi", "--lib",
    )
}

tasks.named("preBuild") { dependsOn(cargoNdk) }
