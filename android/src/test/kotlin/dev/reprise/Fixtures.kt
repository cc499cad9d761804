package dev.reprise

import org.json.JSONObject
import java.io.File

/** A real Android screen from tests/data/rico, as the core parsed it, with the texts it contains. */
class Screen(val id: String, val name: String, val tree: ViewTree, val texts: List<String>)

/**
 * Test data: the RICO screens the Rust side exported (`export-fixtures`, run by
 * scripts/test-kotlin.sh into the folder the `reprise.fixtures` property names), decoded through
 * the real library, and the synthetic rows it exported; device metadata; raw touches.
 */
object Fixtures {
    /** The export folder: `index.json` and one tree file a screen. */
    val dir = File(System.getProperty("reprise.fixtures") ?: error("no reprise.fixtures property: run scripts/test-kotlin.sh"))

    /** Every exported screen, most text first (the export's order). */
    val all: List<Screen> by lazy {
        val index = File(dir, "index.json").takeIf { it.isFile }
            ?: error("no fixture export at $dir: run scripts/test-kotlin.sh, or `cargo run -p reprise-fixtures --bin export-fixtures -- $dir`")
        val screens = JSONObject(index.readText()).getJSONArray("screens")
        (0 until screens.length()).map { i ->
            val s = screens.getJSONObject(i)
            val texts = s.getJSONArray("texts")
            Screen(
                id = s.getString("id"),
                name = s.getString("name"),
                tree = viewTreeFromJson(File(dir, s.getString("tree")).readText()),
                texts = (0 until texts.length()).map(texts::getString),
            )
        }
    }

    /** The [count] screens with the most text, for masking checks. */
    fun screens(count: Int): List<Screen> = all.take(count)

    /** The export's synthetic rows (the Rust kit's `nodes::rows`); any smaller list is a prefix. */
    private val rows: ViewTree by lazy {
        val index = JSONObject(File(dir, "index.json").readText())
        viewTreeFromJson(File(dir, index.getJSONObject("feeds").getString("rows")).readText())
    }

    /**
     * A synthetic tree of [count] nodes: a feed of rows with text, image and button, scrolled by
     * [offset] px (every node but the root moved up, `scrollY` set). For benchmarks and checks
     * that need no real screen.
     */
    fun feed(count: Int, offset: Float = 0f): ViewTree {
        require(count <= rows.nodes.size) { "the export has ${rows.nodes.size} rows nodes, not $count" }
        return rows.copy(nodes = rows.nodes.take(count).mapIndexed { i, n ->
            if (i == 0) n.copy(scrollY = offset) else n.copy(bounds = n.bounds.copy(top = n.bounds.top - offset), scrollY = offset)
        })
    }

    /** The JVM test device: a Pixel 8 running the demo app 1.2.3. */
    fun metadata() = SessionMetadata(
        platform = Platform.ANDROID, osName = "Android", osVersion = "14", deviceManufacturer = "Google",
        deviceModel = "Pixel 8 (JVM test)", screenWidthPx = 1440u, screenHeightPx = 2560u, density = 3.5f,
        orientation = Orientation.PORTRAIT, locale = "en-GB", timeZone = "Europe/London", appId = "dev.reprise.demo",
        appVersion = "1.2.3", appBuild = "42", sdkVersion = "0.1.0", network = NetworkType.WIFI,
    )

    private fun sample(pointer: Int, action: TouchAction, x: Float, y: Float, tUs: Long) =
        TouchSample(pointer.toUInt(), action, x, y, tUs, 1f, null)

    /** Frames of 16 ms; each inner list is what one frame hands over. */
    fun tap(tMs: Long, x: Float, y: Float): List<List<TouchSample>> = listOf(
        listOf(sample(0, TouchAction.DOWN, x, y, tMs * 1000)),
        listOf(sample(0, TouchAction.UP, x + 1, y, tMs * 1000 + 90_000)),
    )

    /** A one-finger drag by [dy] px over [frames] frames, easing out. */
    fun scroll(tMs: Long, x: Float, y: Float, dy: Float, frames: Int = 20): List<List<TouchSample>> {
        val t = tMs * 1000
        val out = mutableListOf(listOf(sample(0, TouchAction.DOWN, x, y, t)))
        for (i in 1..frames) {
            val p = i.toFloat() / frames
            val eased = 1 - (1 - p) * (1 - p)
            out += listOf(sample(0, TouchAction.MOVE, x + 3 * p, y + dy * eased, t + i * 16_000L))
        }
        out += listOf(sample(0, TouchAction.UP, x + 3, y + dy, t + (frames + 1) * 16_000L))
        return out
    }

    /** Two fingers about ([cx], [cy]) spreading from [fromSpan] to [toSpan] px over [frames] frames. */
    fun pinch(tMs: Long, cx: Float, cy: Float, fromSpan: Float, toSpan: Float, frames: Int = 25): List<List<TouchSample>> {
        val t = tMs * 1000
        val out = mutableListOf(
            listOf(sample(0, TouchAction.DOWN, cx - fromSpan / 2, cy, t)),
            listOf(sample(1, TouchAction.POINTER_DOWN, cx + fromSpan / 2, cy, t + 30_000)),
        )
        var last = fromSpan
        for (i in 1..frames) {
            val span = fromSpan + (toSpan - fromSpan) * i / frames
            val tf = t + 30_000 + i * 16_000L
            out += listOf(sample(0, TouchAction.MOVE, cx - span / 2, cy, tf), sample(1, TouchAction.MOVE, cx + span / 2, cy, tf + 500))
            last = span
        }
        val end = t + 30_000 + (frames + 1) * 16_000L
        out += listOf(sample(1, TouchAction.POINTER_UP, cx + last / 2, cy, end))
        out += listOf(sample(0, TouchAction.UP, cx - last / 2, cy, end + 10_000))
        return out
    }

    /** One frame of 32 samples (two pointers x 16 coalesced moves), for the benchmark. */
    fun touchBatch(tMs: Long): List<TouchSample> = (0 until 32).map { i ->
        sample(i % 2, TouchAction.MOVE, 300f + i, 900f + 2 * i, tMs * 1000 + i * 500L)
    }
}
