# Imports a glTF/GLB file with Blender's own glTF importer and prints what Blender made of it as one
# line: RESULT {json}. Run headless:
#   blender -b --factory-startup --python tests/blender/import_gltf.py -- FILE.glb
import json
import sys

import bpy
import numpy

# Debian's Blender 3.4 glTF importer still uses numpy.bool, which NumPy 1.24 removed.
if not hasattr(numpy, "bool"):
    numpy.bool = bool

path = sys.argv[sys.argv.index("--") + 1]
bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.ops.import_scene.gltf(filepath=path)

objects = list(bpy.data.objects)
neurons = [o for o in objects if "/neuron_" in o.name]
keys = [kp for a in bpy.data.actions for fc in a.fcurves for kp in fc.keyframe_points]
result = {
    "objects": len(objects),
    "meshObjects": sum(1 for o in objects if o.type == "MESH"),
    "neuronNodes": len(neurons),
    "neuronProps": sorted(neurons[0].keys()) if neurons else [],
    "actions": len(bpy.data.actions),
    "maxKeyframes": max((len(fc.keyframe_points) for a in bpy.data.actions for fc in a.fcurves), default=0),
    "interpolations": sorted({kp.interpolation for kp in keys}),
    "colorAttributes": sorted({a.name for o in objects if o.type == "MESH" for a in o.data.color_attributes}),
    "unlitMaterials": sum(1 for m in bpy.data.materials if m.get("KHR_materials_unlit") is not None or "unlit" in m.name),
}
print("RESULT " + json.dumps(result))
