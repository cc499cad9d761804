package dev.reprise

import dev.reprise.ffi.NodeKind
import dev.reprise.ffi.PrivacyOverride
import dev.reprise.ffi.ViewNode
import dev.reprise.ffi.ViewTree
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * Packs a view tree into the compact FFI snapshot buffer (docs/FORMAT.md, "FFI snapshot
 * buffer"): little-endian, a 12-byte header, the class table, then 64 fixed bytes per node and
 * its two optional strings.
 */
object SnapshotBuffer {
    const val MAGIC = 0x31545652 // "RVT1" little-endian
    const val NODE_FIXED_BYTES = 64

    const val CLICKABLE = 1 shl 0
    const val SCROLLABLE = 1 shl 1
    const val FOCUSABLE = 1 shl 2
    const val ENABLED = 1 shl 3
    const val VISIBLE = 1 shl 4
    const val CLIPS_CHILDREN = 1 shl 5
    const val PASSWORD = 1 shl 6
    const val HAS_BACKGROUND = 1 shl 8
    const val HAS_TEXT_COLOR = 1 shl 9

    fun pack(tree: ViewTree): ByteArray {
        val classBytes = tree.classes.map { it.encodeToByteArray() }
        val texts = arrayOfNulls<ByteArray>(tree.nodes.size * 2)
        var size = 12 + classBytes.sumOf { 4 + it.size } + tree.nodes.size * (NODE_FIXED_BYTES + 8)
        tree.nodes.forEachIndexed { i, n ->
            n.text?.let { texts[2 * i] = it.encodeToByteArray(); size += texts[2 * i]!!.size }
            n.contentDescription?.let { texts[2 * i + 1] = it.encodeToByteArray(); size += texts[2 * i + 1]!!.size }
        }
        val b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN)
        b.putInt(MAGIC).putInt(classBytes.size).putInt(tree.nodes.size)
        for (c in classBytes) b.putInt(c.size).put(c)
        tree.nodes.forEachIndexed { i, n -> putNode(b, n, texts[2 * i], texts[2 * i + 1]) }
        return b.array()
    }

    private fun putNode(b: ByteBuffer, n: ViewNode, text: ByteArray?, desc: ByteArray?) {
        var bits = 0
        if (n.clickable) bits = bits or CLICKABLE
        if (n.scrollable) bits = bits or SCROLLABLE
        if (n.focusable) bits = bits or FOCUSABLE
        if (n.enabled) bits = bits or ENABLED
        if (n.visible) bits = bits or VISIBLE
        if (n.clipsChildren) bits = bits or CLIPS_CHILDREN
        if (n.password) bits = bits or PASSWORD
        if (n.backgroundColor != null) bits = bits or HAS_BACKGROUND
        if (n.textColor != null) bits = bits or HAS_TEXT_COLOR
        b.putLong(n.identity.toLong())
        b.putInt(n.parent?.toInt() ?: -1)
        b.put(n.kind.ordinal.toByte())
        b.put(n.privacy.ordinal.toByte())
        b.putShort(bits.toShort())
        b.putInt(n.classIndex.toInt())
        b.putFloat(n.bounds.left).putFloat(n.bounds.top).putFloat(n.bounds.width).putFloat(n.bounds.height)
        b.putFloat(n.alpha)
        b.putInt(n.backgroundColor?.toInt() ?: 0)
        b.putInt(n.textColor?.toInt() ?: 0)
        b.putFloat(n.cornerRadius).putFloat(n.fontSize).putFloat(n.scrollX).putFloat(n.scrollY)
        putString(b, text)
        putString(b, desc)
    }

    private fun putString(b: ByteBuffer, s: ByteArray?) {
        if (s == null) b.putInt(-1) else b.putInt(s.size).put(s)
    }

    init {
        // The buffer's kind and privacy codes are the enums' declaration order.
        check(NodeKind.entries.map { it.name } == listOf("CONTAINER", "TEXT", "INPUT", "IMAGE", "BUTTON", "SCROLL", "WEB_VIEW", "OTHER"))
        check(PrivacyOverride.entries.map { it.name } == listOf("INHERIT", "MASK", "UNMASK", "HIDE"))
    }
}
