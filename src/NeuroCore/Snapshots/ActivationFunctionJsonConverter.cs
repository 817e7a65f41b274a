using System.Text.Json;
using System.Text.Json.Serialization;
using NeuroCore.NN;

namespace NeuroCore.Snapshots;

/// <summary>Writes an <see cref="ActivationFunction"/> as its snake-case name from <see cref="ActivationFunctions"/> and reads any spelling that table knows.</summary>
internal sealed class ActivationFunctionJsonConverter : JsonConverter<ActivationFunction>
{
    public override ActivationFunction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("an activation function must be a string such as \"relu\"");
        string? name = reader.GetString();
        return ActivationFunctions.TryParse(name, out var f) ? f
            : throw new JsonException($"unknown activation function \"{name}\" (known: {string.Join(", ", ActivationFunctions.All.Select(a => a.Name()))})");
    }

    public override void Write(Utf8JsonWriter writer, ActivationFunction value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name());
}

/// <summary>
/// Reads a layer's <c>activation</c> in both format versions: version 2's object
/// <c>{ "function": "relu", "layer": "1" }</c> and version 1's bare name <c>"relu"</c> (whose layer is
/// filled in afterwards by <see cref="RunValidation"/> from the layer order).
/// </summary>
internal sealed class LayerActivationJsonConverter : JsonConverter<LayerActivation>
{
    private static readonly ActivationFunctionJsonConverter Function = new();

    public override LayerActivation? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return new LayerActivation(Function.Read(ref reader, typeof(ActivationFunction), options), "");
            case JsonTokenType.StartObject:
                ActivationFunction? function = null;
                string layer = "";
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    string property = reader.GetString()!;
                    reader.Read();
                    if (property == "function") function = Function.Read(ref reader, typeof(ActivationFunction), options);
                    else if (property == "layer") layer = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("\"layer\" must be a string");
                    else reader.Skip();
                }
                return function is { } f ? new LayerActivation(f, layer) : throw new JsonException("an activation needs \"function\"");
            default:
                throw new JsonException("an activation must be an object { \"function\": …, \"layer\": … } or a name");
        }
    }

    public override void Write(Utf8JsonWriter writer, LayerActivation value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("function");
        Function.Write(writer, value.Function, options);
        writer.WriteString("layer", value.Layer);
        writer.WriteEndObject();
    }
}
