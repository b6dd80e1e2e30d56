using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Anb.Application.Auth.LogIn;
using Anb.Application.Auth.SignUp;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Anb.WebApi.OpenApi;

/// <summary>
/// Makes the generated schemas say what the API really writes: integers as integers (the web defaults
/// also read numbers from strings, which is no concern of a client), times as UTC strings, enums as
/// strings, fields left out when null as optional, and request fields as the strings the validators want.
/// </summary>
internal sealed class WireSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        var orNull = type == context.JsonTypeInfo.Type ? 0 : JsonSchemaType.Null;
        if (type == typeof(int) || type == typeof(long))
        {
            schema.Type = JsonSchemaType.Integer | orNull;
            schema.Pattern = null;
        }
        else if (type == typeof(DateTimeOffset))
        {
            schema.Type = JsonSchemaType.String | orNull;
            schema.Format = "date-time";
        }
        else if (type.IsEnum)
        {
            schema.Type = JsonSchemaType.String | orNull;
            schema.Description ??= SchemaDescriptions.Of(type);
        }
        else if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && context.JsonPropertyInfo is null)
        {
            DescribeObject(schema, context.JsonTypeInfo);
        }

        return Task.CompletedTask;
    }

    private static void DescribeObject(OpenApiSchema schema, JsonTypeInfo typeInfo)
    {
        var isRequest = typeInfo.Type == typeof(SignUpCommand) || typeInfo.Type == typeof(LogInCommand);
        foreach (var property in typeInfo.Properties)
        {
            if (schema.Properties is null || !schema.Properties.TryGetValue(property.Name, out var found) || found is not OpenApiSchema propertySchema)
            {
                continue;
            }

            var clrName = (property.AttributeProvider as MemberInfo)?.Name ?? property.Name;
            propertySchema.Description ??= SchemaDescriptions.Of(typeInfo.Type, clrName);

            // Written only when it has a value ([JsonIgnore(WhenWritingNull)]): absent, never null.
            if (property.ShouldSerialize is not null)
            {
                schema.Required?.Remove(property.Name);
                propertySchema.Type &= ~JsonSchemaType.Null;
            }

            // The commands' fields are nullable only so that a missing one gets a validation message.
            if (isRequest)
            {
                propertySchema.Type = JsonSchemaType.String;
                SchemaDescriptions.ApplyRequestBounds(propertySchema, typeInfo.Type, clrName);
            }
        }
    }
}
