package dev.reprise

import org.json.JSONArray
import org.json.JSONObject
import java.io.File

/** A real Android screen from tests/data/rico, as the FFI tree, with the texts it contains. */
class Screen(val name: String, val tree: ViewTree) {
    val texts: List<String> get() = tree.nodes.flatMap { listOfNotNull(it.text, it.contentDescription) }
}

/** Test data: RICO screens (parsed like tests/src/rico.rs does) and raw touches. */
object Fixtures {
    val dir = File(System.getProperty("reprise.fixtures") ?: "../tests/data/rico")

    fun screen(id: String): Screen {
        val doc = JSONObject(File(dir, "$id.json").readText())
        val classes = mutableListOf<String>()
        val nodes = mutableListOf<ViewNode>()
        visit(doc.getJSONObject("activity").getJSONObject("root"), null, 1469598103934665603uL, classes, nodes)
        return Screen(doc.optString("activity_name", id), ViewTree(classes, nodes))
    }

    /** The screens with the most text, for masking checks. */
    fun screens(count: Int): List<Screen> = dir.listFiles { f -> f.name.endsWith(".json") }!!
        .sortedBy { it.name }
        .map { screen(it.name.removeSuffix(".json")) }
        .sortedByDescending { s -> s.texts.count { it.length >= 4 } }
        .take(count)

    private fun visit(node: JSONObject, parent: UInt?, pathHash: ULong, classes: MutableList<String>, nodes: MutableList<ViewNode>) {
        val cls = node.getString("class")
        val ancestors = node.optJSONArray("ancestors")?.let { a -> (0 until a.length()).mapNotNull { a.optString(it, null) } } ?: emptyList()
        val b = node.getJSONArray("bounds")
        var classIndex = classes.indexOf(cls)
        if (classIndex < 0) { classes += cls; classIndex = classes.size - 1 }
        val visible = node.optString("visibility", "visible") == "visible" && node.optBoolean("visible-to-user", true)
        val desc = when (val d = node.opt("content-desc")) {
            is String -> d
            is JSONArray -> (0 until d.length()).mapNotNull { d.optString(it, null)?.takeIf { s -> !d.isNull(it) } }.takeIf { it.isNotEmpty() }?.joinToString(" ")
            else -> null
        }
        val index = nodes.size.toUInt()
        nodes += ViewNode(
            identity = pathHash xor (cls.hashCode().toULong() * 1099511628211uL),
            parent = parent,
            kind = kindOf(cls, ancestors),
            classIndex = classIndex.toUInt(),
            bounds = PxRect(b.getDouble(0).toFloat(), b.getDouble(1).toFloat(), (b.getDouble(2) - b.getDouble(0)).toFloat(), (b.getDouble(3) - b.getDouble(1)).toFloat()),
            flags = NodeFlags(
                clickable = node.optBoolean("clickable", false),
                scrollable = node.optBoolean("scrollable-vertical", false) || node.optBoolean("scrollable-horizontal", false),
                focusable = node.optBoolean("focusable", false),
                enabled = node.optBoolean("enabled", true),
                visible = visible,
                clipsChildren = false,
                password = node.optBoolean("password", false),
            ),
            alpha = 1f,
            backgroundColor = null,
            textColor = null,
            cornerRadius = 0f,
            fontSize = 0f,
            text = if (node.isNull("text")) null else node.optString("text", null),
            contentDescription = desc,
            scrollX = 0f,
            scrollY = 0f,
            privacy = PrivacyOverride.INHERIT,
        )
        val children = node.optJSONArray("children") ?: return
        for (i in 0 until children.length()) {
            val child = children.optJSONObject(i) ?: continue
            if (child.optString("visibility", "visible") == "gone") continue
            visit(child, index, (pathHash xor i.toULong()) * 1099511628211uL, classes, nodes)
        }
    }

    private fun kindOf(cls: String, ancestors: List<String>): NodeKind =
        (listOf(cls) + ancestors).firstNotNullOfOrNull { kindOfName(it) } ?: NodeKind.OTHER

    private fun kindOfName(name: String): NodeKind? = when (val s = name.substringAfterLast('.').substringAfterLast('$')) {
        "EditText", "AutoCompleteTextView", "MultiAutoCompleteTextView", "ExtractEditText", "SearchView" -> NodeKind.INPUT
        "Button", "ImageButton", "CompoundButton", "CheckBox", "RadioButton", "Switch", "ToggleButton",
        "CheckedTextView", "Spinner", "FloatingActionButton" -> NodeKind.BUTTON
        "TextView" -> NodeKind.TEXT
        "ImageView" -> NodeKind.IMAGE
        "RecyclerView", "ListView", "GridView", "AbsListView", "ScrollView", "HorizontalScrollView",
        "NestedScrollView", "ViewPager" -> NodeKind.SCROLL
        "WebView" -> NodeKind.WEB_VIEW
        "ViewGroup" -> NodeKind.CONTAINER
        else -> if (s.endsWith("Layout")) NodeKind.CONTAINER else null
    }

    /** A synthetic tree of [count] nodes: a feed of rows with text, image and button (benchmarks). */
    fun feed(count: Int, offset: Float = 0f): ViewTree {
        val classes = listOf("android.widget.FrameLayout", "android.widget.LinearLayout", "android.widget.TextView", "android.widget.ImageView", "android.widget.Button")
        val nodes = ArrayList<ViewNode>(count)
        fun node(id: Int, parent: Int?, kind: NodeKind, cls: Int, l: Float, t: Float, w: Float, h: Float, text: String?) = ViewNode(
            id.toULong() + 1000uL, parent?.toUInt(), kind, cls.toUInt(), PxRect(l, t, w, h),
            NodeFlags(kind == NodeKind.BUTTON, kind == NodeKind.SCROLL, false, true, true, false, false), 1f,
            if (kind == NodeKind.CONTAINER) 0xffffffffu else null, if (text != null) 0xff222222u else null, 0f, if (text != null) 42f else 0f,
            text, null, 0f, offset, PrivacyOverride.INHERIT,
        )
        nodes += node(0, null, NodeKind.SCROLL, 0, 0f, 0f, 1080f, 2400f, null)
        var row = 0
        while (nodes.size < count) {
            val top = row * 240f - offset
            val rowIndex = nodes.size
            nodes += node(rowIndex, 0, NodeKind.CONTAINER, 1, 0f, top, 1080f, 240f, null)
            if (nodes.size < count) nodes += node(nodes.size, rowIndex, NodeKind.TEXT, 2, 200f, top + 20, 700f, 60f, "Row $row title text")
            if (nodes.size < count) nodes += node(nodes.size, rowIndex, NodeKind.IMAGE, 3, 20f, top + 20, 160f, 160f, null)
            if (nodes.size < count) nodes += node(nodes.size, rowIndex, NodeKind.BUTTON, 4, 900f, top + 20, 160f, 80f, "Buy")
            row++
        }
        return ViewTree(classes, nodes)
    }

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
