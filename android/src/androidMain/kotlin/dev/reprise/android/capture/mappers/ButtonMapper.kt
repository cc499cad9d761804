package dev.reprise.android.capture.mappers

import android.widget.Button
import dev.reprise.NodeKind
import dev.reprise.android.capture.CapturedNode
import dev.reprise.android.capture.ViewMapper

/** A button: a control with a label. */
object ButtonMapper : ViewMapper<Button> {
    override val viewClass = Button::class.java

    override fun map(view: Button, node: CapturedNode) {
        node.kind = NodeKind.BUTTON
        TextViewMapper.readText(view, node)
    }
}
