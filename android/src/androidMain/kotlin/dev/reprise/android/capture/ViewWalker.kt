package dev.reprise.android.capture

import android.view.View
import android.view.ViewGroup
import dev.reprise.EmbeddedTreeReader
import dev.reprise.NodeFlags
import dev.reprise.NodeKind
import dev.reprise.PRIVACY_TAG_KEY
import dev.reprise.Privacy
import dev.reprise.PrivacyOverride
import dev.reprise.PxInsets
import dev.reprise.PxRect
import dev.reprise.ViewNode
import dev.reprise.ViewTree
import dev.reprise.toOverride

/**
 * Reads every window's views into one [ViewTree] for the core: a screen-sized root, then each
 * window's root in z-order (bottom first, so later siblings draw above), each view through its
 * [ViewMapper]. Main thread only; one instance is reused across captures.
 */
internal class ViewWalker(
    private val registry: MapperRegistry,
    /** Reads the Compose content of an `AndroidComposeView`; null when the app has no Compose module. */
    private val composeReader: EmbeddedTreeReader? = ComposeViews.reader,
) {
    private val classes = ArrayList<String>()
    private val classIndex = HashMap<Class<*>, UInt>()
    private val nameIndex = HashMap<String, UInt>()
    private val nodes = ArrayList<ViewNode>(512)
    private val scratch = CapturedNode()
    private val location = IntArray(2)
    private val idNames = HashMap<Int, String?>()

    /**
     * The tree of [roots] (bottom window first) on a screen of [screenWidth] x [screenHeight] px,
     * with a keyboard placeholder of [keyboardHeight] px at the bottom, above every window, when
     * the soft keyboard is shown.
     */
    fun capture(roots: List<View>, screenWidth: Int, screenHeight: Int, keyboardHeight: Int = 0): ViewTree {
        classes.clear()
        classIndex.clear()
        nameIndex.clear()
        nodes.clear()
        nodes += ViewNode(
            identity = SCREEN_IDENTITY, parent = null, kind = NodeKind.CONTAINER, classIndex = classOf(View::class.java),
            bounds = PxRect(0f, 0f, screenWidth.toFloat(), screenHeight.toFloat()), flags = VISIBLE_FLAGS,
            alpha = 1f, backgroundColor = null, textColor = null, cornerRadius = 0f, fontSize = 0f, text = null,
            contentDescription = null, scrollX = 0f, scrollY = 0f, privacy = PrivacyOverride.INHERIT,
        )
        for (root in roots) {
            if (root.visibility == View.GONE || !root.isAttachedToWindow) continue
            root.getLocationOnScreen(location)
            // getLocationOnScreen includes the root's own translation; visit adds it again.
            visit(root, 0u, location[0] - root.left - root.translationX, location[1] - root.top - root.translationY)
        }
        if (keyboardHeight > 0) {
            nodes += ViewNode(
                identity = KEYBOARD_IDENTITY, parent = 0u, kind = NodeKind.OTHER, classIndex = classOf(KEYBOARD_CLASS),
                bounds = PxRect(0f, (screenHeight - keyboardHeight).toFloat(), screenWidth.toFloat(), keyboardHeight.toFloat()),
                flags = VISIBLE_FLAGS, alpha = 1f, backgroundColor = null, textColor = null, cornerRadius = 0f, fontSize = 0f,
                text = null, contentDescription = null, scrollX = 0f, scrollY = 0f, privacy = PrivacyOverride.HIDE,
            )
        }
        return ViewTree(ArrayList(classes), ArrayList(nodes))
    }

    /** Reads [view], whose parent's content origin is at ([originX], [originY]) on screen. */
    private fun visit(view: View, parent: UInt, originX: Float, originY: Float) {
        if (view.visibility == View.GONE) return
        val x = originX + view.left + view.translationX
        val y = originY + view.top + view.translationY
        val node = scratch
        node.reset()
        val resolution = registry.resolve(view.javaClass)
        read(view, node, resolution)
        val visible = view.visibility == View.VISIBLE
        val composeOwner = if (visible && node.walkChildren && ComposeViews.isComposeView(view)) composeOwnerOf(view, node) else null
        val index = nodes.size.toUInt()
        nodes += ViewNode(
            identity = System.identityHashCode(view).toULong(),
            parent = parent,
            kind = node.kind,
            classIndex = classOf(view.javaClass),
            bounds = PxRect(x, y, view.width.toFloat(), view.height.toFloat()),
            flags = NodeFlags(
                clickable = view.isClickable,
                scrollable = node.scrollable,
                focusable = view.isFocusable,
                enabled = view.isEnabled,
                visible = visible,
                clipsChildren = (view as? ViewGroup)?.clipChildren == true || view.clipToOutline,
                password = node.password,
            ),
            alpha = view.alpha,
            backgroundColor = node.backgroundColor?.toUInt(),
            textColor = node.textColor?.toUInt(),
            cornerRadius = node.cornerRadius,
            fontSize = node.fontSize,
            text = node.text,
            contentDescription = node.contentDescription,
            scrollX = node.scrollX,
            scrollY = node.scrollY,
            privacy = node.privacy,
            idName = idNameOf(view),
            checked = node.checked,
            progress = node.progress,
            elevation = view.z,
            clipInsets = paddedClipOf(view),
        )
        if (composeOwner != null) {
            appendCompose(view, composeOwner, index, x, y)
            return
        }
        if (!visible || !node.walkChildren || view !is ViewGroup) return
        val childOriginX = x - view.scrollX
        val childOriginY = y - view.scrollY
        if (hasRaisedChild(view)) {
            // Android draws raised children later (ViewGroup.buildOrderedChildList): by z, ties
            // in child order, which a stable sort keeps.
            val children = (0 until view.childCount).mapNotNull { view.getChildAt(it) }.sortedBy { it.z }
            for (child in children) visit(child, index, childOriginX, childOriginY)
        } else {
            for (i in 0 until view.childCount) {
                val child = view.getChildAt(i) ?: continue
                visit(child, index, childOriginX, childOriginY)
            }
        }
    }

    /**
     * The semantics owner of the Compose view [view], to read its content under it; when there is
     * no reader or the lookup failed, [node] becomes a masked box and null is returned.
     */
    private fun composeOwnerOf(view: View, node: CapturedNode): Any? {
        val owner = composeReader?.let { ComposeViews.semanticsOwner(view) }
        if (owner == null) maskUnread(node)
        return owner
    }

    /** The Compose content of [view] (at [x], [y] on screen) under its node [index]; a failure leaves it a masked box. */
    private fun appendCompose(view: View, owner: Any, index: UInt, x: Float, y: Float) {
        val reader = composeReader ?: return
        // Semantics bounds are in window coordinates: offset them by the window's position on screen.
        view.getLocationInWindow(location)
        val read = try {
            reader.append(owner, index, x - location[0], y - location[1], nodes) { classOf(it) }
        } catch (e: Throwable) {
            false
        }
        if (!read) {
            while (nodes.size > index.toInt() + 1) nodes.removeAt(nodes.size - 1)
            val own = nodes[index.toInt()]
            nodes[index.toInt()] = own.copy(kind = NodeKind.OTHER, privacy = if (own.privacy == PrivacyOverride.INHERIT) PrivacyOverride.MASK else own.privacy)
        }
    }

    /** [node] becomes an opaque masked box whose children are not read (the app's own privacy choice kept). */
    private fun maskUnread(node: CapturedNode) {
        node.kind = NodeKind.OTHER
        if (node.privacy == PrivacyOverride.INHERIT) node.privacy = PrivacyOverride.MASK
        node.walkChildren = false
    }

    /**
     * The padding a ViewGroup clips its children to (`clipToPadding`, on by default, with some
     * padding): a padded RecyclerView's rows vanish at its padding, not at its edge. Null otherwise.
     */
    private fun paddedClipOf(view: View): PxInsets? {
        if (view !is ViewGroup || !view.clipToPadding) return null
        if (view.paddingLeft == 0 && view.paddingTop == 0 && view.paddingRight == 0 && view.paddingBottom == 0) return null
        return PxInsets(view.paddingLeft.toFloat(), view.paddingTop.toFloat(), view.paddingRight.toFloat(), view.paddingBottom.toFloat())
    }

    private fun hasRaisedChild(group: ViewGroup): Boolean =
        (0 until group.childCount).any { (group.getChildAt(it)?.z ?: 0f) != 0f }

    /** The resource entry name of the view's id (`submit` for `@+id/submit`), cached per id. */
    private fun idNameOf(view: View): String? {
        val id = view.id
        if (id == View.NO_ID || id ushr 24 == 0) return null // generated ids have no resource
        return idNames.getOrPut(id) {
            try {
                view.resources?.getResourceEntryName(id)
            } catch (e: android.content.res.Resources.NotFoundException) {
                null
            }
        }
    }

    private fun read(view: View, node: CapturedNode, resolution: MapperRegistry.Resolution) {
        val privacy = view.getTag(PRIVACY_TAG_KEY) as? Privacy
        node.privacy = privacy.toOverride()
        if (privacy == Privacy.HIDE) {
            // Nothing of a hidden view is read: an empty box, no children.
            node.kind = NodeKind.OTHER
            node.walkChildren = false
            return
        }
        Backgrounds.read(view.background, node)
        node.contentDescription = view.contentDescription?.toString()
        if (resolution.unknownCustom) {
            node.kind = NodeKind.OTHER
            if (privacy == null) node.privacy = PrivacyOverride.MASK
            return
        }
        val mapper = resolution.mapper ?: return
        try {
            @Suppress("UNCHECKED_CAST")
            (mapper as ViewMapper<View>).map(view, node)
        } catch (e: Throwable) {
            // A broken mapper never breaks the capture: the view becomes an opaque masked box.
            node.reset()
            maskUnread(node)
        }
    }

    private fun classOf(cls: Class<*>): UInt = classIndex.getOrPut(cls) {
        classes += cls.name
        (classes.size - 1).toUInt()
    }

    private fun classOf(name: String): UInt = nameIndex.getOrPut(name) {
        val i = classes.indexOf(name)
        if (i >= 0) return@getOrPut i.toUInt()
        classes += name
        (classes.size - 1).toUInt()
    }

    private companion object {
        const val SCREEN_IDENTITY: ULong = 1u
        const val KEYBOARD_IDENTITY: ULong = 2u

        /** The keyboard placeholder's class name (the IME's window belongs to another process). */
        const val KEYBOARD_CLASS = "android.inputmethodservice.SoftInputWindow"
        val VISIBLE_FLAGS = NodeFlags(
            clickable = false, scrollable = false, focusable = false, enabled = true,
            visible = true, clipsChildren = true, password = false,
        )
    }
}
