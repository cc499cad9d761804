package dev.reprise.android.capture.mappers

import android.widget.TextView
import dev.reprise.NodeKind
import dev.reprise.android.capture.CapturedNode
import dev.reprise.android.capture.ViewMapper

/** Static text: its characters (masked by the core), colour and size. */
object TextViewMapper : ViewMapper<TextView> {
    override val viewClass = TextView::class.java

    override fun map(view: TextView, node: CapturedNode) {
        node.kind = NodeKind.TEXT
        readText(view, node)
    }

    internal fun readText(view: TextView, node: CapturedNode) {
        val text = view.text
        node.text = if (text.isNullOrEmpty()) view.hint?.toString() else text.toString()
        node.textColor = view.currentTextColor
        node.fontSize = view.textSize
    }
}
