package dev.reprise.android

import org.json.JSONArray
import org.json.JSONObject

/** A session as the collector stored it (`reprise inspect` records): its nodes, classes and gestures. */
internal class StoredSession(val records: List<JSONObject>) {
    private val classes = HashMap<Int, String>()
    private val parents = HashMap<Int, Int>()
    private val nodeClass = HashMap<Int, Int>()

    /** The last order of each parent's children, from keyframes and diffs. */
    val children = HashMap<Int, List<Int>>()

    init {
        for (r in records) {
            val body = r.getJSONObject("record")
            when (r.getString("kind")) {
                "Classes" -> body.getJSONArray("Classes").objects().forEach { classes[it.getInt("id")] = it.getString("name") }
                "Keyframe" -> {
                    children.clear()
                    val nodes = body.getJSONObject("Keyframe").getJSONArray("nodes").objects()
                    nodes.forEach(::addNode)
                    nodes.filter { it.has("parent") && !it.isNull("parent") }.groupBy { it.getInt("parent") }
                        .forEach { (p, c) -> children[p] = c.map { it.getInt("id") } }
                }
                "Diff" -> {
                    val diff = body.getJSONObject("Diff")
                    diff.getJSONArray("added").objects().forEach(::addNode)
                    diff.getJSONArray("children").objects().forEach { c ->
                        children[c.getInt("parent")] = c.getJSONArray("ids").let { a -> (0 until a.length()).map(a::getInt) }
                    }
                }
            }
        }
    }

    private fun addNode(n: JSONObject) {
        val id = n.getInt("id")
        nodeClass[id] = n.getInt("class")
        if (n.has("parent") && !n.isNull("parent")) parents[id] = n.getInt("parent")
    }

    fun className(id: Int): String? = nodeClass[id]?.let(classes::get)

    /** The id of the window root (a child of the screen node) that holds [id]. */
    fun windowOf(id: Int): Int {
        var n = id
        while (parents[n] != null && parents[n] != SCREEN) n = parents.getValue(n)
        return n
    }

    fun ofKind(kind: String) = records.filter { it.getString("kind") == kind }.map { it.getJSONObject("record").get(kind) }

    /** The gestures whose kind is [kind] (`Tap`, or an object key such as `Scroll`). */
    fun gestures(kind: String): List<JSONObject> = ofKind("Gesture").map { it as JSONObject }.filter { g ->
        val k = g.get("kind")
        k == kind || (k is JSONObject && k.has(kind))
    }

    companion object {
        const val SCREEN = 1
    }
}

internal fun JSONArray.objects(): List<JSONObject> = (0 until length()).map(::getJSONObject)
