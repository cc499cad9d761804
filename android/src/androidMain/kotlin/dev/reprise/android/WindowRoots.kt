package dev.reprise.android

import android.view.View
import android.view.Window
import android.view.WindowManager
import java.lang.reflect.Field

/**
 * Every window's root view in z-order, from the process's `WindowManagerGlobal` (the way
 * LeakCanary's Curtains and the Layout Inspector find dialogs, popups and toasts). Reflection on
 * a hidden class: when it is refused, [roots] falls back to the decor views of the activities the
 * lifecycle callbacks saw, and [reflectionWorks] says so.
 */
internal class WindowRoots(private val fallback: () -> List<View>) {
    private val global: Any?
    private val viewsField: Field?
    private val paramsField: Field?

    /** False when the hidden API was refused: only activity windows are seen. */
    val reflectionWorks: Boolean

    init {
        var g: Any? = null
        var views: Field? = null
        var params: Field? = null
        try {
            val cls = Class.forName("android.view.WindowManagerGlobal")
            g = cls.getMethod("getInstance").invoke(null)
            views = cls.getDeclaredField("mViews").apply { isAccessible = true }
            params = cls.getDeclaredField("mParams").apply { isAccessible = true }
        } catch (e: Throwable) {
            g = null
        }
        global = g
        viewsField = views
        paramsField = params
        reflectionWorks = g != null
    }

    /** The root views, bottom first: by window type layer, then by the order they were added. */
    fun roots(): List<View> {
        val g = global ?: return fallback()
        return try {
            @Suppress("UNCHECKED_CAST")
            val views = ArrayList(viewsField!!.get(g) as List<View>)
            @Suppress("UNCHECKED_CAST")
            val params = ArrayList(paramsField!!.get(g) as List<WindowManager.LayoutParams>)
            if (views.size != params.size) return views
            views.indices.sortedBy { params[it].type }.map { views[it] }
        } catch (e: Throwable) {
            fallback()
        }
    }

    companion object {
        private val windowField: Field? = runCatching {
            Class.forName("com.android.internal.policy.DecorView").getDeclaredField("mWindow").apply { isAccessible = true }
        }.getOrNull()

        /** The [Window] a root view belongs to (a PhoneWindow's DecorView), or null (popups, toasts). */
        fun windowOf(root: View): Window? = try {
            if (windowField?.declaringClass?.isInstance(root) == true) windowField.get(root) as? Window else null
        } catch (e: Throwable) {
            null
        }
    }
}
