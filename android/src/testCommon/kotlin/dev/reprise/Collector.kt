package dev.reprise

import org.json.JSONObject
import java.io.Closeable
import java.io.File
import java.net.HttpURLConnection
import java.net.ServerSocket
import java.net.URI
import java.nio.file.Files
import java.util.concurrent.TimeUnit

/** The real collector (`reprise serve`) as a subprocess on a free loopback port. */
class Collector : Closeable {
    val binary = File(System.getProperty("reprise.collector") ?: error("-Dreprise.collector is not set"))
    val dataDir: File = Files.createTempDirectory("reprise-collector").toFile()
    val port = ServerSocket(0).use { it.localPort }
    val endpoint = "http://127.0.0.1:$port"
    val apiKey = "kotlin-test-key-0123456789"
    /** The player's access token, for the replay API. */
    val accessToken = "kotlin-test-access-token-0123456789"
    private val log = File(dataDir, "collector.log")
    private val process: Process

    init {
        check(binary.canExecute()) { "collector binary not found at $binary (scripts/test-kotlin.sh builds it)" }
        process = ProcessBuilder(
            binary.path, "serve", "--listen", "127.0.0.1:$port", "--data", File(dataDir, "data").path,
            "--api-key", "demo=$apiKey", "--access-token", accessToken,
        ).redirectErrorStream(true).redirectOutput(log).start()
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20)
        while (!healthy()) {
            check(process.isAlive) { "collector exited: ${log.readText()}" }
            check(System.nanoTime() < deadline) { "collector not healthy in 20 s: ${log.readText()}" }
            Thread.sleep(50)
        }
    }

    private fun healthy(): Boolean = try {
        val c = URI("$endpoint/healthz").toURL().openConnection() as HttpURLConnection
        c.connectTimeout = 500
        c.readTimeout = 500
        c.responseCode == 200
    } catch (e: Exception) {
        false
    }

    /** What the collector stored, through `reprise inspect`. */
    fun inspect(session: String? = null): JSONObject {
        val args = mutableListOf(binary.path, "inspect", "--data", File(dataDir, "data").path)
        if (session != null) args += listOf("--session", session)
        val p = ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.INHERIT).start()
        val out = p.inputStream.bufferedReader().readText()
        check(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) { "reprise inspect failed" }
        return JSONObject(out)
    }

    /** The scenes the player draws for [session] (`GET /v1/sessions/{id}/frames`, its first minute). */
    fun frames(session: String): JSONObject {
        val c = URI("$endpoint/v1/sessions/$session/frames").toURL().openConnection() as HttpURLConnection
        c.setRequestProperty("Authorization", "Bearer $accessToken")
        c.connectTimeout = 5_000
        c.readTimeout = 30_000
        check(c.responseCode == 200) { "frames: HTTP ${c.responseCode}" }
        return JSONObject(c.inputStream.bufferedReader().readText())
    }

    override fun close() {
        process.destroy()
        process.waitFor(10, TimeUnit.SECONDS)
        dataDir.deleteRecursively()
    }
}
