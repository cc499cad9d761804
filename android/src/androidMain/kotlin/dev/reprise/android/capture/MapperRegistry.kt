package dev.reprise.android.capture

import android.view.View
import android.view.ViewGroup
import dev.reprise.android.capture.mappers.BuiltInMappers

/**
 * Finds the mapper of a view class: the most specific class in its hierarchy that has one, by
 * class or by name. Resolved once per class and cached (main thread only).
 */
internal class MapperRegistry(appMappers: List<ViewMapper<*>>) {
    private val byClass = HashMap<Class<*>, ViewMapper<*>>()
    private val byName = HashMap<String, ViewMapper<*>>()
    private val resolved = HashMap<Class<*>, Resolution>()

    /** A class's mapper, and whether the class is unknown custom code (fail closed). */
    class Resolution(val mapper: ViewMapper<*>?, val unknownCustom: Boolean)

    init {
        for (mapper in BuiltInMappers.all + appMappers) add(mapper)
    }

    private fun add(mapper: ViewMapper<*>) {
        if (mapper is NamedViewMapper) byName[mapper.className] = mapper else byClass[mapper.viewClass] = mapper
    }

    fun resolve(cls: Class<*>): Resolution = resolved.getOrPut(cls) { lookUp(cls) }

    private fun lookUp(cls: Class<*>): Resolution {
        var c: Class<*>? = cls
        while (c != null && c != View::class.java && c != ViewGroup::class.java) {
            val mapper = byClass[c] ?: byName[c.name]
            if (mapper != null) return Resolution(mapper, false)
            c = c.superclass
        }
        // Only View or ViewGroup above: a framework class reads as a container; an app's own
        // leaf view may draw anything (text included), so it becomes a masked box.
        val custom = !isPlatformClass(cls.name) && !ViewGroup::class.java.isAssignableFrom(cls)
        return Resolution(null, custom)
    }

    private fun isPlatformClass(name: String) =
        name.startsWith("android.") || name.startsWith("com.android.") || name.startsWith("androidx.")
}
