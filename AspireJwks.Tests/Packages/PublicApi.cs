using System.Reflection;
using System.Text;

namespace AspireJwks.Tests.Packages;

/// <summary>
/// A package's public surface as text, one line per public type and member, in a stable order: what
/// an adopter can call, and so what a change must not break by accident.
/// </summary>
internal static class PublicApi
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static IReadOnlyList<string> Describe(Assembly assembly) =>
        [.. assembly.GetExportedTypes().OrderBy(type => type.FullName, StringComparer.Ordinal).SelectMany(Describe)];

    private static IEnumerable<string> Describe(Type type)
    {
        yield return $"{Kind(type)} {Name(type, qualified: true)}";
        var members = new List<string>();
        foreach (var field in type.GetFields(Declared))
        {
            members.Add(field.IsLiteral
                ? $"  const {Name(field.FieldType)} {field.Name} = {field.GetRawConstantValue()}"
                : $"  {(field.IsStatic ? "static " : "")}{(field.IsInitOnly ? "readonly " : "")}{Name(field.FieldType)} {field.Name}");
        }
        foreach (var property in type.GetProperties(Declared))
        {
            members.Add($"  property {Name(property.PropertyType)} {property.Name}");
        }
        foreach (var method in type.GetMethods(Declared).Where(method => !method.IsSpecialName))
        {
            var generic = method.IsGenericMethod ? $"<{string.Join(", ", method.GetGenericArguments().Select(argument => argument.Name))}>" : "";
            var parameters = string.Join(", ", method.GetParameters().Select(Describe));
            members.Add($"  {(method.IsStatic ? "static " : "")}{Name(method.ReturnType)} {method.Name}{generic}({parameters})");
        }
        foreach (var constructor in type.GetConstructors(BindingFlags.Public | BindingFlags.Instance))
        {
            members.Add($"  new({string.Join(", ", constructor.GetParameters().Select(Describe))})");
        }
        foreach (var member in members.Order(StringComparer.Ordinal))
        {
            yield return member;
        }
    }

    private static string Describe(ParameterInfo parameter)
    {
        var text = new StringBuilder();
        if (parameter.Member.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute)) && parameter.Position == 0)
        {
            text.Append("this ");
        }
        if (parameter.IsDefined(typeof(ParamArrayAttribute)))
        {
            text.Append("params ");
        }
        text.Append(Name(parameter.ParameterType)).Append(' ').Append(parameter.Name);
        if (parameter.HasDefaultValue)
        {
            text.Append(" = ").Append(parameter.DefaultValue ?? "null");
        }
        return text.ToString();
    }

    private static string Kind(Type type) =>
        type.IsInterface ? "interface"
        : type.IsEnum ? "enum"
        : type.IsValueType ? "struct"
        : type is { IsAbstract: true, IsSealed: true } ? "static class"
        : type.IsSealed ? "sealed class"
        : "class";

    private static string Name(Type type, bool qualified = false)
    {
        var name = qualified ? type.FullName ?? type.Name : type.Name;
        if (!type.IsGenericType)
        {
            return name;
        }
        var bare = name[..name.IndexOf('`', StringComparison.Ordinal)];
        return $"{bare}<{string.Join(", ", type.GetGenericArguments().Select(argument => Name(argument)))}>";
    }
}
