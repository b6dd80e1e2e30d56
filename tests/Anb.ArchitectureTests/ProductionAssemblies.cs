using System.Reflection;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Anb.ArchitectureTests;

/// <summary>The production assemblies and what their code calls and says, read from their IL.</summary>
internal static class ProductionAssemblies
{
    public static readonly Assembly Domain = typeof(Anb.Domain.Videos.Video).Assembly;
    public static readonly Assembly Application = typeof(Anb.Application.DependencyInjection).Assembly;
    public static readonly Assembly Infrastructure = typeof(Anb.Infrastructure.DependencyInjection).Assembly;
    public static readonly Assembly WebApi = typeof(Anb.WebApi.ApiHostRegistration).Assembly;
    public static readonly Assembly WorkerHost = typeof(Anb.WorkerHost.WorkerHostRegistration).Assembly;

    public static readonly Assembly[] All = [Domain, Application, Infrastructure, WebApi, WorkerHost];

    /// <summary>Every method body of the assembly with the type that declares it (compiler-generated state machines included).</summary>
    public static IEnumerable<(TypeDefinition Type, MethodDefinition Method)> Methods(Assembly assembly)
    {
        var module = ModuleDefinition.ReadModule(assembly.Location);
        return module.GetTypes()
            .SelectMany(t => t.Methods.Where(m => m.HasBody).Select(m => (t, m)));
    }

    /// <summary>Calls to other members: (calling type, "Namespace.Type::Member").</summary>
    public static IEnumerable<(string Caller, string Callee)> Calls(Assembly assembly) =>
        from m in Methods(assembly)
        from i in m.Method.Body.Instructions
        where i.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj && i.Operand is MethodReference
        let callee = (MethodReference)i.Operand
        select (OuterName(m.Type), $"{callee.DeclaringType.GetElementType().FullName}::{callee.Name}");

    // A lambda's or an async method's generated type counts as the type it was written in.
    private static string OuterName(TypeDefinition type)
    {
        while (type.DeclaringType is not null && type.Name.Contains('<', StringComparison.Ordinal))
        {
            type = type.DeclaringType;
        }

        return type.FullName;
    }
}
