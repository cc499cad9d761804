package dev.reprise.compose

import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsConfiguration
import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import dev.reprise.NodeFlags
import dev.reprise.NodeKind
import dev.reprise.Privacy
import dev.reprise.PxRect
import dev.reprise.ViewNode
import dev.reprise.ViewTree
import dev.reprise.toOverride

/**
 * Reads a Compose semantics tree (the unmerged one: every Text, field and button its own node)
 * into the core's nodes: bounds in window plus the window's offset, Text, EditableText,
 * Password, Role, OnClick, scroll ranges, TestTag (as the class name, for the inspector),
 * ContentDescription and [reprisePrivacy]. Written against `androidx.compose.ui.semantics`
 * only, so the same code runs on Android (under an `AndroidComposeView`) and on desktop Compose.
 * Main thread (the composition's thread) only.
 */
class SemanticsCapture {
    private val classes = ArrayList<String>()
    private val classIds = HashMap<String, UInt>()
    private val nodes = ArrayList<ViewNode>()

    /** A whole tree for the core: [root] and its descendants, [root] at index 0. */
    fun capture(root: SemanticsNode, offsetX: Float = 0f, offsetY: Float = 0f): ViewTree {
        classes.clear()
        classIds.clear()
        nodes.clear()
        append(root, null, offsetX, offsetY, nodes, ::classOf)
        return ViewTree(ArrayList(classes), ArrayList(nodes))
    }

    /**
     * Appends [node] and its descendants to [nodes], [node] under index [parent] (null: the
     * tree's root); [classIndex] interns the class names (the caller's class list).
     */
    internal fun append(node: SemanticsNode, parent: UInt?, offsetX: Float, offsetY: Float, nodes: MutableList<ViewNode>, classIndex: (String) -> UInt) {
        val config = node.config
        val privacy = config.getOrNull(ReprisePrivacyKey)
        val hidden = privacy == Privacy.HIDE
        val bounds = node.boundsInWindow
        val text = if (hidden) null else text(config)
        val editable = config.getOrNull(SemanticsProperties.EditableText)
        val vertical = config.getOrNull(SemanticsProperties.VerticalScrollAxisRange)
        val horizontal = config.getOrNull(SemanticsProperties.HorizontalScrollAxisRange)
        val role = config.getOrNull(SemanticsProperties.Role)
        val clickable = SemanticsActions.OnClick in config
        val kind = when {
            hidden -> NodeKind.OTHER
            editable != null -> NodeKind.INPUT
            role == Role.Button || role == Role.Checkbox || role == Role.Switch || role == Role.RadioButton || role == Role.Tab -> NodeKind.BUTTON
            clickable && text != null -> NodeKind.BUTTON
            role == Role.Image -> NodeKind.IMAGE
            vertical != null || horizontal != null -> NodeKind.SCROLL
            text != null -> NodeKind.TEXT
            else -> NodeKind.CONTAINER
        }
        val index = nodes.size.toUInt()
        nodes += ViewNode(
            identity = IDENTITY_BASE + node.id.toULong(),
            parent = parent,
            kind = kind,
            classIndex = classIndex(config.getOrNull(SemanticsProperties.TestTag)?.let { "compose:$it" } ?: "compose:${kind.name.lowercase()}"),
            bounds = PxRect(bounds.left + offsetX, bounds.top + offsetY, bounds.width, bounds.height),
            flags = NodeFlags(
                clickable = clickable,
                scrollable = vertical != null || horizontal != null,
                focusable = config.getOrNull(SemanticsProperties.Focused) != null,
                enabled = SemanticsProperties.Disabled !in config,
                visible = true,
                clipsChildren = vertical != null || horizontal != null,
                password = SemanticsProperties.Password in config,
            ),
            alpha = 1f,
            backgroundColor = null,
            textColor = null,
            cornerRadius = 0f,
            fontSize = 0f,
            text = text,
            contentDescription = if (hidden) null else config.getOrNull(SemanticsProperties.ContentDescription)?.joinToString(" "),
            scrollX = horizontal?.value?.invoke() ?: 0f,
            scrollY = vertical?.value?.invoke() ?: 0f,
            privacy = privacy.toOverride(),
        )
        if (hidden) return
        for (child in node.children) append(child, index, offsetX, offsetY, nodes, classIndex)
    }

    private fun text(config: SemanticsConfiguration): String? {
        config.getOrNull(SemanticsProperties.EditableText)?.let { return it.text }
        return config.getOrNull(SemanticsProperties.Text)?.joinToString(" ") { it.text }
    }

    private fun classOf(name: String): UInt = classIds.getOrPut(name) {
        classes += name
        (classes.size - 1).toUInt()
    }

    private companion object {
        /** Compose node ids are small ints; keep them apart from the view walker's identity hashes. */
        const val IDENTITY_BASE: ULong = 0xC0DE_0000_0000uL
    }
}
